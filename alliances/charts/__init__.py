"""Charts: frames in, Altair charts out; no file is read here.

One module of figure functions per chapter (``sino_soviet``, ``korea_1961``,
``exceptions``), the triangle diagrams (``triangle``), the kernel-free
explorer and history player (``triangle_explorer``), shared layout limits
(``layout``), and how charts render in the book and in JupyterLab
(``rendering``).
"""
