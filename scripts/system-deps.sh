#!/usr/bin/env bash
# Debian packages the report needs beyond PyPI: Pango for WeasyPrint's PDF, DejaVu fonts for
# Armenian (Հ) and Azerbaijani (Ə, ş) letters, poppler-utils for the tests' pdftotext.
# Installs what is missing when run as root with apt-get; otherwise prints the exact command.
set -euo pipefail

missing=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system packages: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive bash -c "$command"
else
  echo "system packages missing: ${missing[*]}" >&2
  echo "install them with: sudo sh -c '$command'" >&2
  exit 1
fi
