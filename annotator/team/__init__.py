"""Team work: blind coding on files (:mod:`.distribute`, :mod:`.collect`) and one shared
project on a PostgreSQL server (:mod:`.server`, :mod:`.sync`, :mod:`annotator.core.storage.postgres`).

Nothing here imports Qt; the CLI calls these modules through thin ``cmd_`` functions.
"""
