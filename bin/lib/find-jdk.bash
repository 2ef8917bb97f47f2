# Finds a JDK 21 or newer for bin/noex and .ci/run. Sourced, not run; works with bash 3.2 (macOS).
#
# The search follows maven-toolchains-plugin's select-jdk-toolchain, which the build uses: first
# $JAVA_HOME, then the usual install folders, checking each candidate's major version (from its
# `release` file, else from `java -version`). Among the folders, the newest JDK wins.
#
# NOEX_JDK_SEARCH_PATHS, when set (even empty), replaces the list of folders searched: glob
# patterns separated by ':'. It exists to test the "no JDK found" path.

NOEX_MIN_JAVA=21

# Prints the major Java version of the JDK at $1 (a folder with bin/java and bin/javac);
# returns 1 when $1 is not a JDK or its version cannot be read.
noex_jdk_major() {
  local home=$1 version=""
  [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 1
  if [[ -f "$home/release" ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n 1)
  fi
  if [[ -z $version ]]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  version=${version#1.}          # 1.8.0_402 -> 8.0_402 (pre-9 numbering)
  version=${version%%[!0-9]*}    # 21.0.2+13 -> 21
  [[ -n $version ]] || return 1
  printf '%s\n' "$version"
}

# Sets NOEX_JAVA_HOME to a JDK >= NOEX_MIN_JAVA and returns 0; returns 1 if there is none.
noex_find_jdk() {
  local major home pattern best="" best_major=0
  NOEX_JAVA_HOME=""
  if [[ -n ${JAVA_HOME:-} ]] && major=$(noex_jdk_major "$JAVA_HOME") && (( major >= NOEX_MIN_JAVA )); then
    NOEX_JAVA_HOME=$JAVA_HOME
    return 0
  fi
  local search=${NOEX_JDK_SEARCH_PATHS-"/usr/lib/jvm/*:/usr/java/*:/opt/java/*:/Library/Java/JavaVirtualMachines/*/Contents/Home:$HOME/.sdkman/candidates/java/*:$HOME/.jdks/*"}
  NOEX_JDK_SEARCHED=$search
  local -a patterns=()
  IFS=: read -r -a patterns <<< "$search"
  local restore_nullglob
  restore_nullglob=$(shopt -p nullglob || true)
  shopt -s nullglob
  local IFS=""   # glob the patterns below without splitting them at spaces
  for pattern in ${patterns[@]+"${patterns[@]}"}; do
    [[ -n $pattern ]] || continue
    for home in $pattern; do
      if major=$(noex_jdk_major "$home") && (( major >= NOEX_MIN_JAVA && major > best_major )); then
        best=$home
        best_major=$major
      fi
    done
  done
  eval "$restore_nullglob"
  [[ -n $best ]] || return 1
  NOEX_JAVA_HOME=$best
}

# Prints, on stderr, what was searched and what to install, after noex_find_jdk found nothing.
noex_no_jdk_message() {
  local java_home_note="unset" major
  if [[ -n ${JAVA_HOME:-} ]]; then
    java_home_note=$JAVA_HOME
    if major=$(noex_jdk_major "$JAVA_HOME"); then
      java_home_note="$java_home_note: Java $major"
    else
      java_home_note="$java_home_note: not a JDK"
    fi
  fi
  local searched=${NOEX_JDK_SEARCHED:-}
  searched=${searched//:/, }
  {
    echo "noex: no JDK $NOEX_MIN_JAVA or newer found."
    echo "noex: looked at JAVA_HOME ($java_home_note) and ${searched:-no folders}"
    echo "noex: install a JDK $NOEX_MIN_JAVA or newer, e.g. Eclipse Temurin $NOEX_MIN_JAVA (https://adoptium.net), or set JAVA_HOME to one."
  } >&2
}
