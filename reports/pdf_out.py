"""DOCX → PDF with LibreOffice (same layout as the Word file; fonts embedded by LibreOffice)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def office() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def docx_to_pdf(data: bytes, timeout: int = 180) -> bytes:
    exe = office()
    if exe is None:
        raise RuntimeError(
            "LibreOffice is needed for PDF (apt-get install libreoffice-writer-nogui)"
        )
    with tempfile.TemporaryDirectory(prefix="danvan-report-") as tmp:
        src = Path(tmp) / "bao_cao.docx"
        src.write_bytes(data)
        # a private profile: parallel conversions never share LibreOffice's lock
        profile = (Path(tmp) / "profile").as_uri()
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return (Path(tmp) / "bao_cao.pdf").read_bytes()
