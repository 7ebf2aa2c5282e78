#!/usr/bin/env python3
"""Makes assets/fonts/NotoSansCJK-Subset.otf from Noto Sans CJK (SIL OFL 1.1).

Usage: python3 make_cjk_subset.py NotoSansCJK-Regular.ttc OUT.otf [EXTRA_TEXT_FILE...]

Keeps the characters of JIS X 0208 (Japanese), GB 2312 (simplified Chinese) and the Hangul
syllables and jamo of KS X 1001 (Korean), plus ASCII, Latin-1, general and CJK punctuation,
kana, full- and half-width forms, and every character of the extra text files (the sample
data), from face 0 of the collection (Noto Sans CJK JP). Needs fontTools (pip install fonttools).
"""
import sys
from fontTools import subset
from fontTools.ttLib import TTCollection


def codec_repertoire(codec, lead_range, trail_range=range(0xA1, 0xFF), keep=None):
    chars = set()
    for lead in lead_range:
        for trail in trail_range:
            try:
                ch = bytes([lead, trail]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and (keep is None or keep(ch)):
                chars.add(ord(ch))
    return chars


def main():
    src, out, *extra = sys.argv[1:]
    cps = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180))
    for lo, hi in [(0x2000, 0x206F), (0x2190, 0x21FF), (0x2460, 0x24FF), (0x25A0, 0x25FF),
                   (0x3000, 0x30FF), (0x3130, 0x318F), (0xFF00, 0xFFEF)]:
        cps |= set(range(lo, hi + 1))
    cps |= codec_repertoire("euc_jp", range(0xA1, 0xF5))
    cps |= codec_repertoire("gb2312", range(0xA1, 0xF8))
    hangul = lambda ch: 0xAC00 <= ord(ch) <= 0xD7A3 or 0x3130 <= ord(ch) <= 0x318F
    cps |= codec_repertoire("euc_kr", range(0xA1, 0xFE), keep=hangul)
    for path in extra:
        with open(path, encoding="utf-8", errors="ignore") as f:
            cps |= {ord(c) for c in f.read() if ord(c) >= 0x80}
    font = TTCollection(src).fonts[0]
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = False
    sub = subset.Subsetter(options)
    sub.populate(unicodes=cps)
    sub.subset(font)
    font.save(out)
    print(f"{len(cps)} code points -> {out}")


if __name__ == "__main__":
    main()
