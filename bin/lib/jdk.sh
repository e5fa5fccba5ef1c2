# Sourced by ./mvnw, bin/platform and .ci/run: make sure a JDK 21+ is the one in use.
# Keeps JAVA_HOME when it already points at 21+, else looks in the usual places for the newest 21+.
clinicwave_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}
clinicwave_select_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(clinicwave_java_major "$JAVA_HOME")
    [ "${major:-0}" -ge 21 ] 2>/dev/null && return 0
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    major=$(clinicwave_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  local restore_noglob=""
  case $- in *f*) restore_noglob=1; set +f ;; esac
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(clinicwave_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  [ -n "$restore_noglob" ] && set -f
  if [ -n "$best" ]; then export JAVA_HOME="$best"; export PATH="$JAVA_HOME/bin:$PATH"; return 0; fi
  echo "ClinicWave needs a JDK 21 or newer; none found (JAVA_HOME, PATH, /usr/lib/jvm). Install one and set JAVA_HOME." >&2
  return 1
}
clinicwave_select_jdk || exit 1
# Maven 3.9's Guice warns about sun.misc.Unsafe on JDK 24+: allow it quietly there (the flag is unknown before 23).
if [ "$(clinicwave_java_major "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
  case " ${MAVEN_OPTS:-} " in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
