package com.clinicwave.sandbox.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxDataTests {

    private final SandboxData data = new SandboxData(Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"),
            ZoneOffset.UTC));

    @Test
    void generationIsDeterministicPerPatientAndProvider() {
        SandboxData other = new SandboxData(Clock.systemUTC());

        assertThat(data.patient("patient-001")).isEqualTo(other.patient("patient-001"));
        assertThat(data.claims("epic", "patient-001", null, null, null, 50))
                .isEqualTo(other.claims("epic", "patient-001", null, null, null, 50));
        assertThat(data.claims("epic", "patient-001", null, null, null, 5).claims().getFirst())
                .isNotEqualTo(data.claims("cerner", "patient-001", null, null, null, 5).claims().getFirst());
        assertThat(data.patient("patient-101")).isEmpty();
        assertThat(data.patient("patient-000")).isEmpty();
        assertThat(data.patientIds()).hasSize(101).contains("patient-100", "patient-large");
    }

    @Test
    void claimsAreWellFormed() {
        for (Claim claim : data.claims("trellis", "patient-050", null, null, null, 1000).claims()) {
            assertThat(claim.totalAmount().scale()).isEqualTo(2);
            assertThat(claim.patientResponsibility()).isLessThanOrEqualTo(claim.totalAmount());
            assertThat(claim.currency()).isEqualTo("USD");
            assertThat(claim.serviceDate()).isBefore(claim.lastUpdated().atZone(ZoneOffset.UTC).toLocalDate());
            assertThat(data.claim("trellis", claim.id())).contains(claim);
        }
    }

    @Test
    void cursorPagingOfTheLargePatientIsCompleteAndOrdered() {
        Instant from = Instant.parse("2025-06-01T00:00:00Z");
        ClaimPage page = data.claims("epic", SandboxData.LARGE_PATIENT, from, null, null, 1000);
        long total = page.total();
        List<Claim> all = new ArrayList<>(page.claims());
        while (page.nextCursor() != null) {
            page = data.claims("epic", SandboxData.LARGE_PATIENT, from, null, page.nextCursor(), 1000);
            all.addAll(page.claims());
        }

        assertThat(total).isBetween(15_000L, 20_000L);
        assertThat(all).hasSize((int) total);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).lastUpdated()).isAfter(all.get(i - 1).lastUpdated());
        }
        assertThat(all.getFirst().lastUpdated()).isAfterOrEqualTo(from);
    }

    @Test
    void touchedClaimsMoveToTheEndWithoutDuplicatesAndResetRestoresThem() {
        int count = data.claimCount("cerner", "patient-060");
        List<Claim> touched = data.touch("cerner", "patient-060", 4, null, null);
        assertThat(touched).hasSize(4).allSatisfy(c -> assertThat(c.lastUpdated())
                .isEqualTo(Instant.parse("2026-06-01T00:00:00Z")));

        List<Claim> all = new ArrayList<>();
        String cursor = null;
        do {
            ClaimPage page = data.claims("cerner", "patient-060", null, null, cursor, 3);
            assertThat(page.total()).isEqualTo(count);
            all.addAll(page.claims());
            cursor = page.nextCursor();
        } while (cursor != null);
        Set<String> ids = new HashSet<>();
        all.forEach(c -> ids.add(c.id()));
        assertThat(ids).hasSize(count);
        assertThat(all.subList(count - 4, count)).extracting(Claim::id)
                .containsExactlyInAnyOrderElementsOf(touched.stream().map(Claim::id).toList());

        data.resetTouches();
        assertThat(data.claims("cerner", "patient-060", Instant.parse("2026-01-01T00:00:00Z"), null, null, 10)
                .claims()).isEmpty();
    }

    @Test
    void aTouchMovesAdjudicationOnOrSetsTheGivenStatus() {
        Claim before = data.claims("epic", "patient-070", null, null, null, 1).claims().getFirst();

        Claim after = data.touch("epic", "patient-070", 0, List.of(before.id()), ClaimStatus.DENIED).getFirst();

        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.status()).isEqualTo(ClaimStatus.DENIED);
        assertThat(data.claim("epic", before.id()).orElseThrow().status()).isEqualTo(ClaimStatus.DENIED);
    }
}
