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
  # A portable PDB stores a path as its segments; the repository folder's own name is the tell.
  if grep -rlq --binary-files=binary -F "$(basename "$root")" "$pdbs"; then
    echo "$id: a PDB carries the build machine's path ($root); pack in Release (ContinuousIntegrationBuild maps sources to /_/)" >&2
    status=1
  fi
  rm -rf "$pdbs"
done
exit $status
