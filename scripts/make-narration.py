#!/usr/bin/env python3
"""Makes the Uyghur narration of every tutor step with espeak-ng's Uyghur
voice (Debian packages espeak-ng and lame), from the captions in
src/seller/texts.rs and the clips named in src/seller/lessons.rs, into
public/audio/ug/. Its output is checked in, so building and running Bazar
needs no speech engine; run it again after changing a caption. Trainers can
replace any clip with their own voice from the lecture screen."""
import pathlib
import re
import subprocess
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent
texts = (root / "src/seller/texts.rs").read_text()
lessons = (root / "src/seller/lessons.rs").read_text()

ug_block = texts[texts.index("pub const UG: SellerTexts"):]
ug_block = ug_block[: ug_block.index("\n};")]
ug = dict(re.findall(r'^\s+(\w+): "(.*)",$', ug_block, re.M))

clips = {"hint": ug["hint_wrong"]}
for caption, clip in re.findall(r'\|t\| t\.(\w+), \|t\| t\.\w+, "([\w-]+)"\)', lessons):
    clips[clip] = ug[caption]

out = root / "public/audio/ug"
out.mkdir(parents=True, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    for clip, text in sorted(clips.items()):
        wav = pathlib.Path(tmp) / f"{clip}.wav"
        subprocess.run(["espeak-ng", "-v", "ug", "-s", "135", "-w", str(wav), text], check=True)
        subprocess.run(["lame", "--quiet", "-V", "9", "--resample", "16", "-m", "m", str(wav), str(out / f"{clip}.mp3")], check=True)
        print(f"{clip}: {text}")
print(f"{len(clips)} clips in {out.relative_to(root)}")
