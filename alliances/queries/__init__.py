"""Queries: functions over the frames the loaders return; no file is read here.

* :mod:`.history` - the triangles period by period: readings, events, treaty signings;
* :mod:`.treaties` - treaty provisions, the sources' reading beside ATOP's coding,
  and the Article 6 arithmetic of the 1950 treaty;
* :mod:`.phases` - the Sino-Soviet timeline's events, sorted into Kim's phases;
* :mod:`.cases` - the op-ed's cases with the two-criteria rule's verdict;
* :mod:`.states` - every state of the triangle explorer, computed from the models.
"""
