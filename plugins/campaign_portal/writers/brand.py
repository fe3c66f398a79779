"""The brand's colours as a stylesheet: Material's colour variables, worked out from two colours.

Text on the primary colour turns white or near-black, whichever reads better; links take the
primary colour, darkened (light scheme) or lightened (dark scheme) until they read at 4.5:1 on
the page, so that any brand colour gives an accessible portal.
"""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
LIGHT_PAGE = (255, 255, 255)
DARK_PAGE = (0x2B, 0x2E, 0x3A)  # a shade lighter than the portal's cards in Material's slate scheme
DARK_TEXT = (0x14, 0x17, 0x1F)
WHITE = (255, 255, 255)

RGB = tuple[int, int, int]


def is_colour(value: str) -> bool:
    """``#1f3a93`` or ``#13a``."""
    return HEX_COLOUR.fullmatch(value) is not None


def parse(value: str) -> RGB:
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(character * 2 for character in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def hex_of(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def luminance(rgb: RGB) -> float:
    """WCAG 2's relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value) for value in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: RGB, other: RGB) -> float:
    """WCAG 2's contrast ratio, 1 to 21."""
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(rgb: RGB, towards: RGB, share: float) -> RGB:
    r, g, b = (round(a + (b - a) * share) for a, b in zip(rgb, towards, strict=True))
    return r, g, b


def readable_on(rgb: RGB, page: RGB, minimum: float = 4.5) -> RGB:
    """``rgb`` moved towards black or white (away from ``page``) until it reads at ``minimum`` on ``page``."""
    target = (0, 0, 0) if luminance(page) > 0.5 else WHITE
    for step in range(21):
        candidate = mix(rgb, target, step / 20)
        if contrast(candidate, page) >= minimum:
            return candidate
    return target


def text_on(rgb: RGB) -> RGB:
    """White or near-black, whichever reads better on ``rgb``; black where neither reaches 4.5:1
    (every colour gives 4.5:1 with white or with black)."""
    best = WHITE if contrast(WHITE, rgb) >= contrast(DARK_TEXT, rgb) else DARK_TEXT
    if contrast(best, rgb) >= 4.5:
        return best
    return WHITE if contrast(WHITE, rgb) >= contrast((0, 0, 0), rgb) else (0, 0, 0)


def brand_css(primary: str | None, accent: str | None) -> bytes:
    """The stylesheet that applies the brand's colours on every page, in both colour schemes."""
    lines = ["/* The brand's colours (generated from the campaign-portal plugin's `brand` options). */"]
    light: list[str] = []
    dark: list[str] = []
    if primary:
        rgb = parse(primary)
        on = text_on(rgb)
        light += [
            f"--md-primary-fg-color: {hex_of(rgb)};",
            f"--md-primary-fg-color--light: {hex_of(mix(rgb, WHITE, 0.25))};",
            f"--md-primary-fg-color--dark: {hex_of(mix(rgb, (0, 0, 0), 0.25))};",
            f"--md-primary-bg-color: {hex_of(on)};",
            f"--md-primary-bg-color--light: {hex_of(mix(on, rgb, 0.2))};",
            f"--md-typeset-a-color: {hex_of(readable_on(rgb, LIGHT_PAGE))};",
        ]
        dark.append(f"--md-typeset-a-color: {hex_of(readable_on(rgb, DARK_PAGE))};")
    if accent:
        rgb = parse(accent)
        light += [
            f"--md-accent-fg-color: {hex_of(readable_on(rgb, LIGHT_PAGE, 3))};",
            f"--md-accent-fg-color--transparent: {hex_of(rgb)}1a;",
            f"--md-accent-bg-color: {hex_of(text_on(rgb))};",
        ]
        dark.append(f"--md-accent-fg-color: {hex_of(readable_on(rgb, DARK_PAGE, 3))};")
    if light:
        # Material sets these on the body per palette ([data-md-color-primary=indigo]); one more
        # attribute in the selector wins over them whatever the palette says.
        lines.append("body[data-md-color-primary], body[data-md-color-scheme] { " + " ".join(light) + " }")
    if dark:
        lines.append('body[data-md-color-scheme="slate"] { ' + " ".join(dark) + " }")
        lines.append('[data-md-color-scheme="slate"] .md-typeset { ' + " ".join(dark) + " }")
    return ("\n".join(lines) + "\n").encode("utf-8")
