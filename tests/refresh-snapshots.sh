#!/usr/bin/env bash
# Refreshes every generated file that adding or changing a provider touches, then shows what
# changed. Review the diff before committing: a changed snapshot is a changed behaviour.
#
# refreshes: tests/Truto.Mappings.Tests/Fixtures/*/*.verified.json (MappingSnapshotTests)
# refreshes: tests/Truto.Mappings.Tests/Reference/*.verified.md (CoverageTests)
# refreshes: README.md (ProviderTableTests)
# refreshes: README.md (OAuthTableTests)
# refreshes: mappings/README.md (OAuthTableTests)
# refreshes: tests/Truto.Mappings.Generator.Tests/Baselines/*.verified.txt (GeneratedCodeTests)
# refreshes: tests/Truto.Mappings.Cli.Tests/Snapshots/explain.*.verified.txt (ExplainTests)
# refreshes: tests/Truto.Mappings.Cli.Tests/Snapshots/map.*.verified.txt (MapTests)
#
# A fixture the runtime refuses before calling the provider (a misspelled account.json key), or
# whose answers and requests do not pair up, is never accepted: its test fails with the cause.
# Usage: tests/refresh-snapshots.sh   (from anywhere; never under CI=true)
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${CI:-}" = "true" ]; then
  echo "refresh-snapshots.sh accepts snapshots, which CI never does (CI=true)." >&2
  exit 2
fi
export TRUTO_ACCEPT_SNAPSHOTS=1
status=0

dotnet test tests/Truto.Mappings.Tests \
  --filter "FullyQualifiedName~MappingSnapshotTests|FullyQualifiedName~CoverageTests|FullyQualifiedName~ProviderTableTests|FullyQualifiedName~OAuthTableTests" || status=$?
dotnet test tests/Truto.Mappings.Generator.Tests \
  --filter "FullyQualifiedName~GeneratedCodeTests" || status=$?
dotnet test tests/Truto.Mappings.Cli.Tests \
  --filter "FullyQualifiedName~ExplainTests|FullyQualifiedName~MapTests" || status=$?

echo
echo "== Changed and new files (review, then commit them with their cause) =="
git status --short -- README.md tests mappings
git diff --stat -- README.md tests mappings
if [ "$status" -ne 0 ]; then
  echo "Some tests failed: their cause is above; nothing of theirs was accepted." >&2
fi
exit "$status"
