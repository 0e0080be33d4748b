#!/usr/bin/env bash
# Fails when the OSGi test run produced no test cases, or any failure or error.
# bnd's JUnit Platform tester reports zero tests and passes when it finds none (with JUnit >= 5.12).
set -euo pipefail
dir="$1"
shopt -s nullglob
reports=("$dir"/*.xml "$dir"/*/*.xml)
[ ${#reports[@]} -gt 0 ] || { echo "require-tests: no test reports under $dir" >&2; exit 1; }
cases=$( (cat "${reports[@]}" | grep -o '<testcase ' || true) | wc -l)
failed=$( (cat "${reports[@]}" | grep -Eo '<(failure|error)[ >]' || true) | wc -l)
echo "require-tests: $cases OSGi test cases ran, $failed failed or errored (${#reports[@]} report files)"
[ "$cases" -gt 0 ] || { echo "require-tests: zero OSGi tests ran" >&2; exit 1; }
[ "$failed" -eq 0 ] || exit 1
