package com.clinicwave.auth.user;

import java.util.List;

/** What a user may do: role names and the union of their roles' permissions, both sorted. */
public record Grants(List<String> roles, List<String> permissions) {
}
