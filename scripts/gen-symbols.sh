#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A Debian symbols file for a library from its linker version script: every
# symbol of every version node, as SYMBOL@NODE, with the package version that
# first exported the node (VERSIONS: lines "NODE VERSION"; a node not listed
# gets DEFAULT, the version being built), and each node's own name.
# dpkg-gensymbols -c4 (debian/rules) then fails the package build when the
# library exports anything else, or less; selftests/host/symbols_test.sh
# compares the same list with the built library.
#
# usage: gen-symbols.sh MAP SONAME PACKAGE VERSIONS DEFAULT
set -eu
map=$1 soname=$2 pkg=$3 versions=$4 default=$5

echo "$soname $pkg #MINVER#"
echo "* Build-Depends-Package: $pkg-dev" | sed 's/0-dev$/-dev/'
# strip comments, then walk the nodes: "NAME {", "global:", "local:", "};"
sed -e 's|/\*.*\*/||g' -e 's|#.*||' "$map" |
awk -v versions="$versions" -v def="$default" '
BEGIN {
	while ((getline line < versions) > 0) {
		if (line ~ /^[ \t]*(#|$)/) continue
		split(line, f, /[ \t]+/); ver[f[1]] = f[2]
	}
}
/^[A-Za-z_][A-Za-z0-9_.]*[ \t]*\{/ { node = $1; sub(/\{.*/, "", node); global = 1
	v = (node in ver) ? ver[node] : def
	print " " node "@" node " " v; next }
/^[ \t]*global:/ { global = 1; next }
/^[ \t]*local:/ { global = 0; next }
/^[ \t]*\}/ { node = ""; next }
node != "" && global {
	n = split($0, parts, ";")
	for (i = 1; i <= n; i++) {
		s = parts[i]; gsub(/[ \t]/, "", s)
		if (s != "" && s != "*") print " " s "@" node " " ((node in ver) ? ver[node] : def)
	}
}' | LC_ALL=C sort
