"""Pixels of a canvas drawn off-screen by the real GL, for the drawing tests."""
from kivy.graphics import ClearBuffers, ClearColor, Fbo


def drawn(canvas, width: int, height: int) -> bytes:
    """``canvas`` drawn on black into a ``width`` x ``height`` Fbo: its RGBA bytes, rows from
    the bottom."""
    fbo = Fbo(size=(width, height))
    with fbo:
        ClearColor(0, 0, 0, 1)
        ClearBuffers()
    fbo.add(canvas)
    fbo.draw()
    pixels = fbo.pixels
    fbo.remove(canvas)
    return pixels
