package com.clinicwave.sandbox.data;

import com.clinicwave.platform.web.ApiException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Deterministic generated data: every value is computed from a seeded RNG per patient (and per provider for
 * claims), so nothing is stored and {@code patient-large}'s 100,000 claims cost no memory. The only state is the
 * overlay of "touched" claims (new {@code lastUpdated} and status) that the admin API creates for incremental-sync
 * tests.
 *
 * <p>Untouched claims have strictly increasing {@code lastUpdated} by index (2023-01-01 … 2025-12-31), so a
 * {@code _lastUpdated} lower bound or a cursor is a binary search, and a page is generated in O(page size).
 */
@Component
public class SandboxData {

    public static final String LARGE_PATIENT = "patient-large";
    public static final int LARGE_PATIENT_CLAIMS = 100_000;
    static final Instant HISTORY_START = Instant.parse("2023-01-01T00:00:00Z");
    static final Instant HISTORY_END = Instant.parse("2025-12-31T00:00:00Z");
    private static final Pattern PATIENT_ID = Pattern.compile("patient-(\\d{3})");
    private static final Pattern CLAIM_ID = Pattern.compile("(.+)-(patient-(?:\\d{3}|large))-(\\d{6})");

    private static final String[] GIVEN = {"Ava", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Isla", "Lucas", "Nora",
        "Mateo", "Priya", "Omar", "Grace", "Diego", "Hana", "Samuel", "Leah", "Kai", "Amara", "Felix"};
    private static final String[] FAMILY = {"Nguyen", "Garcia", "Okafor", "Smith", "Kowalski", "Haddad", "Chen",
        "Johnson", "Rossi", "Patel", "Andersen", "Silva", "Kim", "Murphy", "Yamamoto", "Dubois", "Cohen", "Ali"};
    private static final String[] CITIES = {"Boston|MA|021", "Austin|TX|787", "Denver|CO|802", "Portland|OR|972",
        "Madison|WI|537", "Raleigh|NC|276", "Phoenix|AZ|850", "Columbus|OH|432"};
    private static final String[] STREETS = {"Maple Ave", "Oak St", "Harbor Rd", "Elm Ct", "Cedar Ln", "Park Blvd"};
    private static final Map<ClaimType, String[]> PROVIDERS = Map.of(
            ClaimType.MEDICAL, new String[] {"Riverside Family Medicine", "Northgate Orthopedics",
                "City General Hospital", "Lakeview Cardiology", "Summit Urgent Care", "Bayside Dermatology"},
            ClaimType.DENTAL, new String[] {"Bright Smiles Dental", "Parkway Dental Group", "Oakridge Orthodontics"},
            ClaimType.PHARMACY, new String[] {"CornerCare Pharmacy", "MedExpress Rx", "Hillside Pharmacy"},
            ClaimType.VISION, new String[] {"ClearView Optometry", "Eyecare Associates"});
    private static final Map<ClaimType, String[]> DESCRIPTIONS = Map.of(
            ClaimType.MEDICAL, new String[] {"Office visit, established patient", "Annual preventive exam",
                "Comprehensive metabolic panel", "X-ray, knee, 2 views", "Physical therapy session",
                "Emergency department visit", "MRI, lumbar spine", "Influenza vaccination"},
            ClaimType.DENTAL, new String[] {"Periodic oral evaluation", "Prophylaxis cleaning, adult",
                "Composite filling, one surface", "Bitewing radiographs"},
            ClaimType.PHARMACY, new String[] {"Atorvastatin 20 mg, 30 tablets", "Amoxicillin 500 mg, 21 capsules",
                "Lisinopril 10 mg, 90 tablets", "Albuterol inhaler"},
            ClaimType.VISION, new String[] {"Comprehensive eye exam", "Single vision lenses", "Contact lens fitting"});
    private static final String[] APPOINTMENT_TYPES = {"Office Visit", "Annual Physical", "Follow-up",
        "Lab Work", "Telehealth Visit"};
    private static final String[] DEPARTMENTS = {"Family Medicine", "Internal Medicine", "Cardiology", "Laboratory"};

    private final Clock clock;
    private final Map<String, Overlay> overlays = new ConcurrentHashMap<>();
    /** Moves on with every change of the data (a touch, a reset): what was rendered from older data is stale. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, BalanceCache> balances = new ConcurrentHashMap<>();

    public SandboxData(Clock clock) {
        this.clock = clock;
    }

    /** patient-001 … patient-100 and patient-large. */
    public List<String> patientIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            ids.add("patient-%03d".formatted(i));
        }
        ids.add(LARGE_PATIENT);
        return ids;
    }

    public Optional<SandboxPatient> patient(@Nullable String id) {
        if (id == null || !isPatient(id)) {
            return Optional.empty();
        }
        SplittableRandom rng = new SplittableRandom(seed("patient|" + id));
        String given = pick(rng, GIVEN);
        String family = LARGE_PATIENT.equals(id) ? "Largeman" : pick(rng, FAMILY);
        String gender = rng.nextBoolean() ? "female" : "male";
        LocalDate birth = LocalDate.of(1940 + rng.nextInt(65), 1 + rng.nextInt(12), 1 + rng.nextInt(28));
        String[] city = pick(rng, CITIES).split("\\|");
        return Optional.of(new SandboxPatient(id, given, family, gender, birth,
                id + "@sandbox.clinicwave.test", "555-01%02d".formatted(rng.nextInt(100)),
                (10 + rng.nextInt(9000)) + " " + pick(rng, STREETS), city[0], city[1],
                city[2] + "%02d".formatted(rng.nextInt(100)), "MRN-" + (100000 + rng.nextInt(900000))));
    }

    public boolean isPatient(String id) {
        if (LARGE_PATIENT.equals(id)) {
            return true;
        }
        Matcher m = PATIENT_ID.matcher(id);
        if (!m.matches()) {
            return false;
        }
        int n = Integer.parseInt(m.group(1));
        return n >= 1 && n <= 100;
    }

    /** How many claims a patient has at a provider (15–120; 100,000 for patient-large). */
    public int claimCount(String provider, String patientId) {
        if (LARGE_PATIENT.equals(patientId)) {
            return LARGE_PATIENT_CLAIMS;
        }
        return 15 + new SplittableRandom(seed(provider + "|" + patientId)).nextInt(106);
    }

    /** One claim by id, as it is now (touches applied). */
    public Optional<Claim> claim(String provider, String claimId) {
        Matcher m = CLAIM_ID.matcher(claimId);
        if (!m.matches() || !m.group(1).equals(provider) || !isPatient(m.group(2))) {
            return Optional.empty();
        }
        int index = Integer.parseInt(m.group(3));
        if (index >= claimCount(provider, m.group(2))) {
            return Optional.empty();
        }
        return Optional.of(current(provider, m.group(2), index));
    }

    /**
     * A page of claims updated in {@code [from, to)} (either bound optional), in {@code (lastUpdated, index)} order,
     * starting after {@code cursor} (from a previous page), at most {@code limit} long.
     */
    public ClaimPage claims(String provider, String patientId, @Nullable Instant from, @Nullable Instant to,
            @Nullable String cursor, int limit) {
        int n = claimCount(provider, patientId);
        long seed = seed(provider + "|" + patientId);
        long lower = from == null ? Long.MIN_VALUE : from.toEpochMilli();
        long upper = to == null ? Long.MAX_VALUE : to.toEpochMilli();
        Key after = cursor == null ? null : Key.decode(cursor);
        Overlay overlay = overlay(provider, patientId);
        Set<Integer> touched;
        List<Map.Entry<Key, Overlay.Touch>> tail = new ArrayList<>();
        synchronized (overlay) {
            touched = new HashSet<>(overlay.byIndex.keySet());
            for (Map.Entry<Key, Overlay.Touch> e : overlay.order.entrySet()) {
                Key key = e.getKey();
                if (key.millis() >= lower && key.millis() < upper && (after == null || key.compareTo(after) > 0)) {
                    tail.add(Map.entry(key, e.getValue()));
                }
            }
        }
        int start = firstIndex(n, i -> {
            long lu = baseMillis(seed, n, i);
            return lu >= lower && (after == null || new Key(lu, i).compareTo(after) > 0);
        });
        List<Claim> page = new ArrayList<>();
        int i = start;
        int t = 0;
        Key last = null;
        boolean more = false;
        while (true) {
            while (i < n && touched.contains(i)) {
                i++;
            }
            Key baseKey = i < n ? new Key(baseMillis(seed, n, i), i) : null;
            if (baseKey != null && baseKey.millis() >= upper) {
                baseKey = null;
            }
            Key touchKey = t < tail.size() ? tail.get(t).getKey() : null;
            if (baseKey == null && touchKey == null) {
                break;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            if (touchKey == null || (baseKey != null && baseKey.compareTo(touchKey) < 0)) {
                page.add(generate(provider, patientId, seed, n, i));
                last = baseKey;
                i++;
            } else {
                Overlay.Touch touch = tail.get(t).getValue();
                Claim base = generate(provider, patientId, seed, n, touchKey.index());
                page.add(withTouch(base, touch));
                last = touchKey;
                t++;
            }
        }
        long total = countBase(seed, n, lower, upper);
        synchronized (overlay) {
            for (Map.Entry<Integer, Overlay.Touch> e : overlay.byIndex.entrySet()) {
                long baseLu = baseMillis(seed, n, e.getKey());
                if (baseLu >= lower && baseLu < upper) {
                    total--;
                }
                long lu = e.getValue().lastUpdated().toEpochMilli();
                if (lu >= lower && lu < upper) {
                    total++;
                }
            }
        }
        return new ClaimPage(page, total, more && last != null ? last.encode() : null);
    }

    /**
     * Moves claims on: new {@code lastUpdated} = now and the next status (or the one given), so that an incremental
     * sync finds them. Claims are the ids given, else {@code count} claims picked deterministically.
     */
    public List<Claim> touch(String provider, String patientId, int count, @Nullable List<String> claimIds,
            @Nullable ClaimStatus status) {
        int n = claimCount(provider, patientId);
        long seed = seed(provider + "|" + patientId);
        Overlay overlay = overlay(provider, patientId);
        List<Claim> result = new ArrayList<>();
        synchronized (overlay) {
            Set<Integer> indexes = new LinkedHashSet<>();
            if (claimIds != null && !claimIds.isEmpty()) {
                for (String id : claimIds) {
                    Matcher m = CLAIM_ID.matcher(id);
                    if (!m.matches() || !m.group(1).equals(provider) || !m.group(2).equals(patientId)
                            || Integer.parseInt(m.group(3)) >= n) {
                        throw new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "Claim not found: " + id);
                    }
                    indexes.add(Integer.parseInt(m.group(3)));
                }
            } else {
                SplittableRandom rng = new SplittableRandom(seed ^ (0x5DEECE66DL * (overlay.version + 1)));
                int wanted = Math.min(count, n);
                while (indexes.size() < wanted) {
                    indexes.add(rng.nextInt(n));
                }
            }
            long now = clock.millis();
            for (int index : indexes) {
                Claim current = currentLocked(provider, patientId, seed, n, index, overlay);
                Overlay.Touch old = overlay.byIndex.get(index);
                if (old != null) {
                    overlay.order.remove(new Key(old.lastUpdated().toEpochMilli(), index));
                }
                Overlay.Touch touch = new Overlay.Touch(Instant.ofEpochMilli(now),
                        status != null ? status : current.status().next());
                overlay.byIndex.put(index, touch);
                overlay.order.put(new Key(now, index), touch);
                result.add(withTouch(generate(provider, patientId, seed, n, index), touch));
            }
            overlay.version++;
        }
        generation.incrementAndGet();
        return result;
    }

    /** Forgets every touch: the data is as generated again. */
    public void resetTouches() {
        overlays.clear();
        balances.clear();
        generation.incrementAndGet();
    }

    /** The data's version: changes whenever a claim is touched or the touches are reset. */
    public long generation() {
        return generation.get();
    }

    public int touchedCount(String provider, String patientId) {
        Overlay overlay = overlay(provider, patientId);
        synchronized (overlay) {
            return overlay.byIndex.size();
        }
    }

    /** What the patient owes: the patient responsibility of every paid or adjusted claim. */
    public BigDecimal balance(String provider, String patientId) {
        Overlay overlay = overlay(provider, patientId);
        String key = provider + "|" + patientId;
        synchronized (overlay) {
            BalanceCache cached = balances.get(key);
            if (cached != null && cached.version() == overlay.version) {
                return cached.balance();
            }
            int n = claimCount(provider, patientId);
            long seed = seed(key);
            BigDecimal sum = BigDecimal.ZERO.setScale(2);
            for (int i = 0; i < n; i++) {
                Claim claim = currentLocked(provider, patientId, seed, n, i, overlay);
                if (claim.status() == ClaimStatus.PAID || claim.status() == ClaimStatus.ADJUSTED) {
                    sum = sum.add(claim.patientResponsibility());
                }
            }
            balances.put(key, new BalanceCache(overlay.version, sum));
            return sum;
        }
    }

    public List<Appointment> appointments(String provider, String patientId) {
        SplittableRandom rng = new SplittableRandom(seed("appointments|" + provider + "|" + patientId));
        int count = 2 + rng.nextInt(7);
        List<Appointment> result = new ArrayList<>();
        LocalDate date = LocalDate.of(2025, 6, 2);
        for (int i = 0; i < count; i++) {
            date = date.plusDays(20 + rng.nextInt(60));
            boolean past = date.isBefore(LocalDate.of(2026, 6, 1));
            result.add(new Appointment(String.valueOf(1_000_000 + Math.abs(seed(patientId + i) % 9_000_000)), date,
                    LocalTime.of(8 + rng.nextInt(9), rng.nextBoolean() ? 0 : 30), rng.nextBoolean() ? 30 : 15,
                    pick(rng, APPOINTMENT_TYPES), pick(rng, PROVIDERS.get(ClaimType.MEDICAL)), pick(rng, DEPARTMENTS),
                    past ? (rng.nextInt(10) == 0 ? "x" : "3") : "f"));
        }
        return result;
    }

    private Claim current(String provider, String patientId, int index) {
        int n = claimCount(provider, patientId);
        Overlay overlay = overlay(provider, patientId);
        synchronized (overlay) {
            return currentLocked(provider, patientId, seed(provider + "|" + patientId), n, index, overlay);
        }
    }

    private static Claim currentLocked(String provider, String patientId, long seed, int n, int index,
            Overlay overlay) {
        Claim base = generate(provider, patientId, seed, n, index);
        Overlay.Touch touch = overlay.byIndex.get(index);
        return touch == null ? base : withTouch(base, touch);
    }

    private static Claim withTouch(Claim base, Overlay.Touch touch) {
        return new Claim(base.id(), base.patientId(), base.index(), base.serviceDate(), base.providerName(),
                base.description(), base.type(), touch.status(), base.totalAmount(), base.patientResponsibility(),
                base.currency(), touch.lastUpdated());
    }

    private Overlay overlay(String provider, String patientId) {
        return overlays.computeIfAbsent(provider + "|" + patientId, k -> new Overlay());
    }

    /** The untouched {@code lastUpdated} of claim {@code i} of {@code n}: strictly increasing in {@code i}. */
    private static long baseMillis(long seed, int n, int i) {
        long span = HISTORY_END.toEpochMilli() - HISTORY_START.toEpochMilli();
        long step = span / n;
        return HISTORY_START.toEpochMilli() + i * step + new SplittableRandom(claimSeed(seed, i)).nextLong(step / 2);
    }

    private static Claim generate(String provider, String patientId, long seed, int n, int i) {
        long lastUpdated = baseMillis(seed, n, i);
        SplittableRandom rng = new SplittableRandom(claimSeed(seed, i));
        rng.nextLong(); // the draw baseMillis used
        int roll = rng.nextInt(100);
        ClaimType type = roll < 60 ? ClaimType.MEDICAL : roll < 80 ? ClaimType.PHARMACY
                : roll < 92 ? ClaimType.DENTAL : ClaimType.VISION;
        long cents = switch (type) {
            case MEDICAL -> 8_000 + rng.nextLong(242_000);
            case DENTAL -> 6_000 + rng.nextLong(84_000);
            case PHARMACY -> 500 + rng.nextLong(39_500);
            case VISION -> 5_000 + rng.nextLong(40_000);
        };
        int statusRoll = rng.nextInt(100);
        ClaimStatus status = statusRoll < 72 ? ClaimStatus.PAID : statusRoll < 80 ? ClaimStatus.ADJUSTED
                : statusRoll < 88 ? ClaimStatus.DENIED : statusRoll < 95 ? ClaimStatus.PENDING : ClaimStatus.SUBMITTED;
        long responsibility = status == ClaimStatus.DENIED ? cents : cents * (10 + rng.nextInt(31)) / 100;
        LocalDate serviceDate = Instant.ofEpochMilli(lastUpdated).atZone(ZoneOffset.UTC).toLocalDate()
                .minusDays(1 + rng.nextInt(45));
        return new Claim(claimId(provider, patientId, i), patientId, i, serviceDate, pick(rng, PROVIDERS.get(type)),
                pick(rng, DESCRIPTIONS.get(type)), type, status, BigDecimal.valueOf(cents, 2),
                BigDecimal.valueOf(responsibility, 2), "USD", Instant.ofEpochMilli(lastUpdated));
    }

    static String claimId(String provider, String patientId, int index) {
        return "%s-%s-%06d".formatted(provider, patientId, index);
    }

    private static long countBase(long seed, int n, long lower, long upper) {
        int from = firstIndex(n, i -> baseMillis(seed, n, i) >= lower);
        int to = upper == Long.MAX_VALUE ? n : firstIndex(n, i -> baseMillis(seed, n, i) >= upper);
        return Math.max(0, to - from);
    }

    /** The first index in {@code [0, n)} for which a monotone predicate holds, or {@code n}. */
    private static int firstIndex(int n, IntPredicate predicate) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (predicate.test(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static long claimSeed(long seed, int i) {
        return seed ^ (0x9E3779B97F4A7C15L * (i + 1L));
    }

    /** FNV-1a: a stable 64-bit hash (String.hashCode would do, but 32 bits collide too easily). */
    static long seed(String value) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    private static <T> T pick(SplittableRandom rng, T[] values) {
        return values[rng.nextInt(values.length)];
    }

    /** A claim's position in the merged order: {@code lastUpdated} millis, then index. */
    record Key(long millis, int index) implements Comparable<Key> {

        @Override
        public int compareTo(Key other) {
            int c = Long.compare(millis, other.millis);
            return c != 0 ? c : Integer.compare(index, other.index);
        }

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("c1:" + millis + ":" + index).getBytes(StandardCharsets.US_ASCII));
        }

        static Key decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII)
                        .split(":");
                if (parts.length != 3 || !"c1".equals(parts[0])) {
                    throw new IllegalArgumentException();
                }
                return new Key(Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("INVALID_CURSOR", "The page cursor is not valid");
            }
        }
    }

    private static final class Overlay {
        final Map<Integer, Touch> byIndex = new HashMap<>();
        final TreeMap<Key, Touch> order = new TreeMap<>();
        long version;

        record Touch(Instant lastUpdated, ClaimStatus status) {
        }
    }

    private record BalanceCache(long version, BigDecimal balance) {
    }
}
