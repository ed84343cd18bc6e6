"""The pure models: no file is read and no chart is drawn here.

* :mod:`.triangle` - the strategic triangle (Dittmer's patterns, Wu's roles, balance);
* :mod:`.vu` - Vu's triangular theory of alliance formation (source ``003``);
* :mod:`.two_criteria` - the op-ed's two-criteria alliance rule (source ``000``);
* :mod:`.presets` - the corners the triangle explorer offers;
* :mod:`.phases` - the phases of the Sino-Soviet alliance, dated by Kim (``004``).
"""
