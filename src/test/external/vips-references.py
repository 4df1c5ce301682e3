#!/usr/bin/env python3
"""Writes src/test/resources/external/vips.tsv: what libvips (Debian's libvips-tools) makes of every file of the
external corpus, the reference the ExternalCorpusIT compares the resizer with.

For each file: whether vipsheader reads its header, whether `vips copy` decodes all its pixels (20 s at most), and for
the files it decodes a 16x16 reference: `vips thumbnail` (EXIF orientation applied, embedded ICC profile to sRGB) forced
to 16x16, flattened onto white, 8-bit sRGB, as 768 hexadecimal bytes. Run from the project root after
`apt-get install libvips-tools`:  python3 src/test/external/vips-references.py
"""
import os, subprocess, sys, tempfile

ROOT = 'src/test/resources/external'


def run(*args, timeout=20):
    try:
        p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        return p.returncode == 0, p.stdout.strip(), first_error(p.stderr)
    except subprocess.TimeoutExpired:
        return False, '', 'timed out after %d s' % timeout


def first_error(stderr):
    lines = [l for l in stderr.splitlines() if l.strip()]
    errors = [l for l in lines if 'WARNING' not in l]
    return ((errors or lines or [''])[0]).replace('\t', ' ')[:200]


def reference(path, tmp):
    steps = [
        ('vips', 'thumbnail', path, f'{tmp}/t.v', '16', '--height', '16', '--size', 'force'),
        ('vips', 'colourspace', f'{tmp}/t.v', f'{tmp}/s.v', 'srgb'),
    ]
    for step in steps:
        ok, _, err = run(*step)
        if not ok:
            return None, err
    ok, bands, _ = run('vipsheader', '-f', 'bands', f'{tmp}/s.v')
    source = f'{tmp}/s.v'
    if bands in ('2', '4'):
        ok, _, err = run('vips', 'flatten', source, f'{tmp}/f.v', '--background', '255')
        if not ok:
            return None, err
        source = f'{tmp}/f.v'
    ok, _, err = run('vips', 'cast', source, f'{tmp}/c.v', 'uchar')
    ok, _, err = run('vips', 'rawsave', f'{tmp}/c.v', f'{tmp}/r.raw')
    if not ok:
        return None, err
    raw = open(f'{tmp}/r.raw', 'rb').read()
    return (raw.hex() if len(raw) == 768 else None), ('' if len(raw) == 768 else 'reference of %d bytes' % len(raw))


def main():
    version = subprocess.run(['vips', '--version'], capture_output=True, text=True).stdout.strip()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for suite in sorted(os.listdir(ROOT)):
            folder = os.path.join(ROOT, suite)
            if not os.path.isdir(folder):
                continue
            for name in sorted(os.listdir(folder)):
                if name == 'LICENSE.txt':
                    continue
                path = os.path.join(folder, name)
                header, loader, err = run('vipsheader', '-f', 'vips-loader', path)
                decoded, _, derr = run('vips', 'copy', path, f'{tmp}/x.v') if header else (False, '', err)
                ref, rerr = reference(path, tmp) if decoded else (None, '')
                rows.append([suite, name, 'yes' if header else 'no', loader if header else '', 'yes' if decoded else 'no',
                             (err or derr or rerr) if not (header and decoded) else rerr, ref or ''])
                print(suite, name, rows[-1][2], rows[-1][4], file=sys.stderr)
    with open(os.path.join(ROOT, 'vips.tsv'), 'w') as out:
        out.write('# ' + version + ', made by src/test/external/vips-references.py\n')
        out.write('suite\tfile\theader\tloader\tdecoded\terror\treference16x16\n')
        for row in rows:
            out.write('\t'.join(row) + '\n')


if __name__ == '__main__':
    main()
