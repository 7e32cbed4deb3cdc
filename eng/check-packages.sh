#!/usr/bin/env bash
# Checks what the packed libraries tell their users: an icon and a README in each package, dependencies on abstractions rather
# than the implementation packages the host chooses, and PDBs without the build machine's paths (deterministic, mapped to /_/).
# Usage: eng/check-packages.sh DIR (the folder "dotnet pack -c Release -o DIR" wrote).
set -uo pipefail
dir=$1
status=0
for id in OpenModelClient.Core OpenModelClient OpenModelClient.Conformance; do
  nupkg="$dir/$id.0.1.0-preview.nupkg"
  nuspec=$(unzip -p "$nupkg" "$id.nuspec")
  listing=$(unzip -l "$nupkg")
  for file in icon.png README.md; do
    grep -q " $file\$" <<<"$listing" || { echo "$id: $file is missing from the package" >&2; status=1; }
  done
  for implementation in Microsoft.Extensions.Logging Microsoft.Extensions.DependencyInjection Microsoft.Extensions.Configuration; do
    if grep -q "id=\"$implementation\"" <<<"$nuspec"; then
      echo "$id: depends on $implementation; reference its .Abstractions package (is central transitive pinning on for packages?)" >&2
      status=1
    fi
  done
  pdbs=$(mktemp -d)
  unzip -q -o "$dir/$id.0.1.0-preview.snupkg" '*.pdb' -d "$pdbs"
  root=$(cd "$(dirname "$0")/.." && pwd)
  # A portable PDB stores a document's path as its segments, each a length-prefixed blob. The repository folder and its parent, each
  # with its length byte, are the tell; a path mapped to /_/ has neither (a local named like the folder lives in another heap, unprefixed).
  parent=$(basename "$(dirname "$root")")
  leaked=1
  for segment in "$(basename "$root")" "$parent"; do
    if [ "${#segment}" -ge 128 ] || ! LC_ALL=C grep -rlqaP "\\x$(printf %02x "${#segment}")\\Q$segment\\E" "$pdbs"; then
      leaked=0
    fi
  done
  if [ "$leaked" -eq 1 ]; then
    echo "$id: a PDB carries the build machine's path ($root); pack in Release (ContinuousIntegrationBuild maps sources to /_/)" >&2
    status=1
  fi
  rm -rf "$pdbs"
done
exit $status
