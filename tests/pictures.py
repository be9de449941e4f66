"""A small site with pictures of our own, drawn with Pillow: the fixture of the image, card and chrome tests."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from PIL import Image

from conftest import Site

BUNDLE_POST = """\
---
title: "A trip to the “seaside”, told at a length that needs two lines on a phone"
date: 2024-05-01
categories: [Travel]
tags: [photos, seaside]
---
We said "hello" -- and 'goodbye'... Code keeps its quotes: `"as typed"`.

![The cover](cover.jpg)

A paragraph between pictures.

![A small one](small.png)

![A wide one](/images/wide.png)

![Elsewhere](https://images.example.org/far.jpg)

| a wide table | with | many | columns | that | would | overflow | a | phone | screen |
|---|---|---|---|---|---|---|---|---|---|
| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 |

```html
<img src="small.png"> "straight"
```

## A heading to link to

Text.
"""

PLAIN_POST = """\
---
title: Plain words
date: 2024-04-01
categories: [Notes]
---
Nothing to see, it's plain.
"""

HERO_POST = """\
---
title: With a hero
date: 2024-03-01
image: /images/hero.png
---
A post whose link preview shows its `image:`.
"""


def draw(path: Path, size: tuple[int, int], mode: str = "RGB") -> Path:
    """A picture of ``size`` with gradients (so that resizing it has work to do), saved at ``path``."""
    bands = [
        Image.linear_gradient("L").resize(size),
        Image.linear_gradient("L").rotate(90).resize(size),
        Image.radial_gradient("L").resize(size),
    ]
    if mode == "RGBA":
        bands.append(Image.new("L", size, 200))
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.merge(mode, bands).save(path)
    return path


def write_site(site: Site) -> Site:
    """The pictures site's content: a bundle post with pictures, a plain post, a post with an ``image:``."""
    site.write("trip/index.md", BUNDLE_POST)
    draw(site.content / "trip" / "cover.jpg", (1600, 1000))
    draw(site.content / "trip" / "small.png", (300, 200), "RGBA")
    draw(site.content / "images" / "wide.png", (1000, 250))
    draw(site.content / "images" / "hero.png", (1200, 630))
    site.write("plain.md", PLAIN_POST)
    site.write("hero.md", HERO_POST)
    return site


def build(tmp_path_factory, name: str, env: dict[str, str] | None = None) -> Site:
    site = Site(tmp_path_factory.mktemp(name))
    site.content.mkdir()
    write_site(site).build(env=env)
    return site


def tiny_png() -> bytes:
    """A real 2x2 PNG: tests that publish a picture append their own words to it (after its end, which
    decoders ignore), so that each file holds other bytes and still reads as a picture."""
    buffer = BytesIO()
    Image.new("RGB", (2, 2), (168, 64, 27)).save(buffer, "PNG")
    return buffer.getvalue()


TINY_PNG = tiny_png()
