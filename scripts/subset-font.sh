#!/usr/bin/env bash
# Makes the Uyghur web font subsets public/fonts/naskh-ug-{400,700}.woff2 from
# Debian's fonts-noto-core (Noto Naskh Arabic, SIL OFL 1.1). fontTools and
# brotli come from scripts/font-requirements.txt, in target/pyvenv.
set -euo pipefail
cd "$(dirname "$0")/.."

SRC_DIR=/usr/share/fonts/truetype/noto
OUT_DIR=public/fonts
VENV=target/pyvenv
MAX_BYTES=$((24 * 1024))

for w in Regular Bold; do
  if [ ! -f "$SRC_DIR/NotoNaskhArabic-$w.ttf" ]; then
    echo "missing $SRC_DIR/NotoNaskhArabic-$w.ttf: apt-get install fonts-noto-core" >&2
    exit 1
  fi
done

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> Creating $VENV"
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --disable-pip-version-check -r scripts/font-requirements.txt

# The Uyghur alphabet (the letters; their joining forms come in through the
# layout features) and the Arabic comma, semicolon, question mark and tatweel.
LETTERS='اەبپتجچخدرزژسشغفقكگڭلمنھوۇۆۈۋېىيئ،؛؟ـ'
# Space, Western digits, . , : ; ! ? - / ( ) % +, ¥, ZWNJ/ZWJ/LRM/RLM and the
# bidi isolates. Code points the source font lacks are skipped by pyftsubset.
UNICODES='U+0020,U+0030-0039,U+002E,U+002C,U+003A,U+003B,U+0021,U+003F,U+002D,U+002F,U+0028,U+0029,U+0025,U+002B,U+00A5,U+200C-200F,U+2066-2069'

mkdir -p "$OUT_DIR"
status=0
for pair in Regular:400 Bold:700; do
  style=${pair%%:*}
  weight=${pair##*:}
  out="$OUT_DIR/naskh-ug-$weight.woff2"
  "$VENV/bin/pyftsubset" "$SRC_DIR/NotoNaskhArabic-$style.ttf" \
    --output-file="$out" \
    --flavor=woff2 \
    --text="$LETTERS" \
    --unicodes="$UNICODES" \
    --layout-features='*' \
    --no-hinting \
    --desubroutinize \
    --name-IDs='0,1,2,3,4,6,13,14' \
    --name-languages='0x409' \
    --drop-tables+=DSIG
  size=$(stat -c %s "$out")
  echo "$out: $size bytes ($(awk "BEGIN { printf \"%.1f\", $size / 1024 }") KB, limit $((MAX_BYTES / 1024)) KB)"
  if [ "$size" -gt "$MAX_BYTES" ]; then
    echo "  over the limit" >&2
    status=1
  fi
done
exit "$status"
