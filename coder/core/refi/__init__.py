"""REFI-QDA exchange (``.qdpx`` projects, ``.qdc`` codebooks) with NVivo, ATLAS.ti, MAXQDA, QualCoder...

    export_qdpx(project, "exports/project.qdpx")          # -> RefiExport (counts, what was left out)
    export_qdc(project.codebook, "exports/codebook.qdc")
    report = import_refi("study.qdpx", "new-project")      # -> ImportReport (counts, warnings)

* :mod:`.writer` – export; :mod:`.reader` – tolerant reading; :mod:`.importer` – a new project on disk;
* :mod:`.safety` – zip and XML hardening; :mod:`.guids` – deterministic GUIDs;
* :mod:`.positions` – line endings and selection positions; :mod:`.descriptions` – code descriptions.

lxml is imported only when a REFI file is read or written.
"""

from coder.core.refi.guids import guid, normalise_guid
from coder.core.refi.importer import ImportReport, import_refi
from coder.core.refi.safety import ImportLimits
from coder.core.refi.writer import RefiExport, export_qdc, export_qdpx

__all__ = ["ImportLimits", "ImportReport", "RefiExport", "export_qdc", "export_qdpx", "guid", "import_refi", "normalise_guid"]
