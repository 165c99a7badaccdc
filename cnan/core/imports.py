"""Import of XLSX and CSV files: one pipeline for every importable table (DESIGN.md §3, "Import / export").

An app describes a table once, as an :class:`ImportSpec` (its columns with their kinds, the permissions
it needs, a hook for cross-row and database checks and the audited writes), and registers it with
:func:`register`. The pipeline does the rest, the same way for every table:

* the template: an XLSX generated from the spec (:func:`template_bytes`), in the user's language, with
  an instructions sheet;
* the upload checks, before anything is parsed (:func:`open_table`): size, type by content (an XLSX is a
  zip holding the OOXML spreadsheet content type; a CSV is UTF-8 text), the zip's unpacked size and
  compression ratio, no merged cells and no formulas on the data sheet, a header that matches the
  template in either language;
* typed parsing of every row (:func:`validate`): Vietnamese and plain numbers, dates, booleans, choices
  by code or label (diacritics ignored), references by code, resolved in bulk; every error is kept as
  (row as the sheet shows it, column, raw value, message in the user's language). Nothing is written;
* the commit (:func:`commit`), run by the ``core.tasks.import_commit`` job inside one transaction: the
  file is parsed and validated again, then written through the app's services; any error undoes all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from xml.etree.ElementTree import iterparse  # noqa: S405 - size-checked archive, no DTDs (see _merged_cells)

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.utils import formats, translation
from django.utils.translation import gettext as _

from cnan.common.text import fold

from .permissions import has_perm

# --- column kinds ----------------------------------------------------------------------------------

TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"
PERCENT = "percent"
DATE = "date"
BOOLEAN = "boolean"
CHOICE = "choice"
REFERENCE = "reference"
KINDS = (TEXT, INTEGER, DECIMAL, PERCENT, DATE, BOOLEAN, CHOICE, REFERENCE)

XLSX_MAIN_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
HEADER_SEARCH_ROWS = 10  # the header is the first non-empty row among the first ten
PREVIEW_ROWS = 20


def kind_label(kind: str) -> str:
    return {
        TEXT: _("text"),
        INTEGER: _("whole number"),
        DECIMAL: _("number"),
        PERCENT: _("percentage"),
        DATE: _("date"),
        BOOLEAN: _("yes / no"),
        CHOICE: _("one of a list"),
        REFERENCE: _("code of an existing record"),
    }[kind]


# --- the spec --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an importable table.

    ``label`` is shown in the template and matched (in Vietnamese or English, or the ``name``) against
    the uploaded header. ``choices`` (kind ``choice``): ``(code, label)`` pairs or a callable returning
    them; a cell may hold the code or the label. ``resolve`` (kind ``reference``): ``(user, codes,
    params) -> {code: object}`` for every code of the file at once (one query, through a selector, so
    that a record the user may not see is an unknown code)."""

    name: str
    label: Any
    kind: str = TEXT
    required: bool = False
    help_text: Any = ""
    example: Any = ""
    choices: Sequence[tuple[Any, Any]] | Callable[[], Sequence[tuple[Any, Any]]] = ()
    resolve: Callable[[Any, set[str], dict[str, Any]], Mapping[str, Any]] | None = None
    max_length: int | None = None
    decimal_places: int | None = None
    min_value: Decimal | int | None = None
    max_value: Decimal | int | None = None
    default: Any = None  # the value of an empty cell of an optional column

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if self.kind == REFERENCE and self.resolve is None:
            raise ValueError(f"reference column {self.name!r} needs resolve")

    def empty_value(self) -> Any:
        """The value of an empty cell: the ``default``, else "" for text and ``None`` for the rest."""
        if self.default is not None:
            return self.default
        return "" if self.kind == TEXT else None

    def get_choices(self) -> list[tuple[Any, Any]]:
        return list(self.choices() if callable(self.choices) else self.choices)


@dataclass(frozen=True)
class Param:
    """A value an import targets, passed in the query string (e.g. the product whose BOM is imported).

    ``resolve(user, raw)`` returns the object; it raises ``ObjectDoesNotExist``/``ValueError`` (404) when
    the user may not see it and ``PermissionDenied`` (403) when they may not import into it."""

    name: str
    resolve: Callable[[Any, str], Any]
    required: bool = True


@dataclass(frozen=True)
class ImportSpec:
    """An importable table. Give ``commit_row(user, row, params)`` (one audited service call per row),
    or ``commit(user, rows, params, progress)`` for writes that need the whole file (call
    ``progress(row)`` before writing each row, so that a failure names it)."""

    key: str
    title: Callable[[], str]
    permissions: tuple[str, ...]
    columns: tuple[Column, ...]
    commit_row: Callable[[Any, Row, dict[str, Any]], Any] | None = None
    commit: Callable[[Any, list[Row], dict[str, Any], Callable[[Row], None]], Any] | None = None
    validate_rows: Callable[[Any, list[Row], dict[str, Any]], tuple[list[Row], list[CellError]]] | None = None
    params: tuple[Param, ...] = ()
    heading: Callable[[dict[str, Any]], str] | None = None  # e.g. the product a BOM import targets
    list_url: Callable[[dict[str, Any]], str] | None = None  # where the imported records are listed
    file_stem: str = ""

    def __post_init__(self) -> None:
        if (self.commit is None) == (self.commit_row is None):
            raise ValueError(f"import {self.key!r} needs exactly one of commit and commit_row")
        names = [c.name for c in self.columns]
        if len(names) != len(set(names)):
            raise ValueError(f"import {self.key!r} has duplicate column names")

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


_specs: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    _specs[spec.key] = spec
    return spec


def get(key: str) -> ImportSpec:
    """The spec registered under ``key``; ``KeyError`` if none."""
    return _specs[key]


def registered() -> list[ImportSpec]:
    return list(_specs.values())


def may_use(user: Any, spec: ImportSpec) -> bool:
    """Whether ``user`` holds every permission the import needs (somewhere; rows are checked one by one)."""
    return bool(getattr(user, "is_authenticated", False)) and all(has_perm(user, p) for p in spec.permissions)


def resolve_params(user: Any, spec: ImportSpec, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The spec's params from raw strings (a query string, or a batch's stored params).

    Raises ``ObjectDoesNotExist`` for a missing or unknown value and ``PermissionDenied`` as the
    resolver decides."""
    resolved: dict[str, Any] = {}
    for param in spec.params:
        value = raw.get(param.name)
        if value in (None, ""):
            if param.required:
                raise ObjectDoesNotExist(f"missing import parameter {param.name}")
            resolved[param.name] = None
            continue
        try:
            resolved[param.name] = param.resolve(user, str(value))
        except (ValueError, ValidationError) as exc:
            raise ObjectDoesNotExist(str(exc)) from exc
    return resolved


def raw_params(spec: ImportSpec, query: Mapping[str, Any]) -> dict[str, str]:
    return {p.name: str(query.get(p.name)) for p in spec.params if query.get(p.name) not in (None, "")}


# --- rows and errors -------------------------------------------------------------------------------


class Row(dict):
    """A cleaned row: column name → typed value, with the row's ``number`` as the sheet shows it."""

    def __init__(self, number: int, values: Mapping[str, Any] | None = None) -> None:
        super().__init__(values or {})
        self.number = number


@dataclass(frozen=True)
class CellError:
    """A problem with one row (``column`` is a column name, or empty for the row as a whole)."""

    row: int
    column: str
    message: str
    value: Any = ""


class ImportRefused(Exception):
    """The file as a whole cannot be read: nothing of it is validated or written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CommitFailed(Exception):
    """A write failed: the row and the reason, for the job's message."""

    def __init__(self, row: int | None, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.row = row
        self.message = message
        self.errors = errors


@dataclass
class Result:
    rows: list[Row] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)  # the first ``max_errors``
    error_count: int = 0
    row_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.row_count > 0


# --- parsing cell values ---------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(?:[.,]\d{3})+)([.,]\d+)?$")
_CURRENCY = re.compile(r"(₫|đồng|đ|vnd|vnđ)$", re.IGNORECASE)
TRUE_WORDS = {"co", "x", "yes", "y", "true", "1", "dung", "c"}
FALSE_WORDS = {"khong", "no", "n", "false", "0", "sai", "k"}
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d")
EXCEL_SERIAL_RANGE = (1, 2958465)  # 1900-01-01 … 9999-12-31


class CellInvalid(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_decimal(raw: Any) -> Decimal:
    """A number from a cell: a real number, or text in Vietnamese (``1.234.567,5``, ``12,5``,
    ``1 234 567``) or plain (``1234567.5``, ``1,234,567.5``) notation, exactly as a ``Decimal``.

    A single dot followed by exactly three digits (``1.234``) is a thousands separator, as in Vietnamese
    (and in Django's own localized fields); a single comma is the decimal comma (``12,5``)."""
    if isinstance(raw, bool):
        raise CellInvalid(_("Enter a number."))
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellInvalid(_("Enter a number."))
        return Decimal(repr(raw)).normalize() if raw != int(raw) else Decimal(int(raw))
    if isinstance(raw, Decimal):
        return raw
    text = _SPACES.sub("", str(raw))
    text = _CURRENCY.sub("", text)
    if not _NUMBER.match(text):
        raise CellInvalid(_("Enter a number, e.g. 1.234.567,5 or 1234567.5."))
    sign = ""
    if text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal_sep == "." else "."
        if text.count(decimal_sep) > 1:
            raise CellInvalid(_("Enter a number, e.g. 1.234.567,5 or 1234567.5."))
    elif commas:
        decimal_sep, thousands = (",", ".") if commas == 1 else ("", ",")
    elif dots:
        integer, _sep, fraction = text.partition(".")
        single_decimal = dots == 1 and len(fraction) != 3
        decimal_sep, thousands = (".", ",") if single_decimal else ("", ".")
    else:
        decimal_sep, thousands = "", ""
    integer, fraction = (text.rsplit(decimal_sep, 1) + [""])[:2] if decimal_sep else (text, "")
    if thousands and thousands in integer:
        groups = integer.split(thousands)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise CellInvalid(_("The digit groups of this number are not in threes."))
        integer = "".join(groups)
    if not integer.isdigit() or (fraction and not fraction.isdigit()):
        raise CellInvalid(_("Enter a number, e.g. 1.234.567,5 or 1234567.5."))
    try:
        return Decimal(f"{sign}{integer}.{fraction}" if fraction else f"{sign}{integer}")
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only digits
        raise CellInvalid(_("Enter a number.")) from exc


def parse_integer(raw: Any) -> int:
    value = parse_decimal(raw)
    if value != value.to_integral_value():
        raise CellInvalid(_("Enter a whole number."))
    return int(value)


def parse_percent(raw: Any, number_format: str | None = None) -> Decimal:
    """A percentage as its number of percent: ``12,5``, ``12,5%`` and an Excel cell showing 12,5 % all
    give ``Decimal("12.5")``."""
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        value = parse_decimal(raw)
        return (value * 100).normalize() if number_format and "%" in number_format else value
    text = str(raw).strip()
    if text.endswith("%"):
        text = text[:-1]
    return parse_decimal(text)


def parse_date(raw: Any) -> dt.date:
    """A date: an Excel date cell, an Excel day number, or text ``15/03/2025``, ``15-03-2025``,
    ``15.03.2025``, ``2025-03-15`` (a time after the date is ignored)."""
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        if not EXCEL_SERIAL_RANGE[0] <= raw <= EXCEL_SERIAL_RANGE[1]:
            raise CellInvalid(_("Enter a date as dd/mm/yyyy."))
        from openpyxl.utils.datetime import from_excel

        value = from_excel(raw).date()
    else:
        text = str(raw).strip()
        text = re.split(r"[ T]", text, maxsplit=1)[0] if re.match(r"^\d{4}-\d", text) else text.split(" ")[0]
        for fmt in DATE_FORMATS:
            try:
                value = dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar day, no time
                break
            except ValueError:
                continue
        else:
            raise CellInvalid(_("Enter a date as dd/mm/yyyy, e.g. 15/03/2025."))
    if not 1900 <= value.year <= 2100:
        raise CellInvalid(_("The year must be between 1900 and 2100."))
    return value


def parse_boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = fold(raw)
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellInvalid(_("Enter yes or no (có / không, x for yes)."))


def cell_text(raw: Any) -> str:
    """A cell as text: whole numbers without ``.0``, dates as dd/mm/yyyy."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.strftime("%d/%m/%Y %H:%M") if (raw.hour or raw.minute) else raw.strftime("%d/%m/%Y")
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    return str(raw).strip()


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


class _ChoiceMap:
    """Codes and labels (in Vietnamese and English), folded, to codes."""

    def __init__(self, column: Column) -> None:
        self.lookup: dict[str, Any] = {}
        choices = column.get_choices()
        for language in ("vi", "en"):
            with translation.override(language):
                for code, label in choices:
                    self.lookup.setdefault(fold(label), code)
        for code, _label in choices:
            self.lookup[fold(code)] = code
        self.codes = ", ".join(str(code) for code, _label in choices[:40])

    def get(self, raw: Any) -> Any:
        key = fold(cell_text(raw))
        if key in self.lookup:
            return self.lookup[key]
        raise CellInvalid(_("Not one of the allowed values (%(values)s).") % {"values": self.codes})


def _check_bounds(column: Column, value: Decimal | int) -> None:
    if column.min_value is not None and value < column.min_value:
        raise CellInvalid(_("The value must be at least %(min)s.") % {"min": formats.number_format(column.min_value)})
    if column.max_value is not None and value > column.max_value:
        raise CellInvalid(_("The value must be at most %(max)s.") % {"max": formats.number_format(column.max_value)})


def parse_cell(column: Column, raw: Any, number_format: str | None = None, choice_map: _ChoiceMap | None = None) -> Any:
    """The typed value of one non-empty cell (``CellInvalid`` with the message otherwise). References
    are returned as their code text; :func:`validate` resolves them in bulk."""
    kind = column.kind
    if kind in (TEXT, REFERENCE):
        value: Any = cell_text(raw)
        if column.max_length and len(value) > column.max_length:
            raise CellInvalid(
                _("At most %(max)s characters (this one has %(n)s).") % {"max": column.max_length, "n": len(value)}
            )
        return value
    if kind == INTEGER:
        value = parse_integer(raw)
        _check_bounds(column, value)
        return value
    if kind in (DECIMAL, PERCENT):
        value = parse_percent(raw, number_format) if kind == PERCENT else parse_decimal(raw)
        if column.decimal_places is not None and value.as_tuple().exponent < -column.decimal_places:  # type: ignore[operator]
            raise CellInvalid(
                _("At most %(places)s digits after the decimal comma.") % {"places": column.decimal_places}
            )
        _check_bounds(column, value)
        return value
    if kind == DATE:
        return parse_date(raw)
    if kind == BOOLEAN:
        return parse_boolean(raw)
    if kind == CHOICE:
        return (choice_map or _ChoiceMap(column)).get(raw)
    raise AssertionError(kind)  # pragma: no cover


# --- reading the file ------------------------------------------------------------------------------


def max_bytes() -> int:
    return int(getattr(settings, "CNAN_IMPORT_MAX_BYTES", 20 * 1024 * 1024))


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def detect_format(stream: IO[bytes], filename: str) -> str:
    """``xlsx`` or ``csv`` from the content (the name's extension must agree); ``ImportRefused`` else."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ("xlsx", "csv"):
        raise ImportRefused(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    if not head:
        raise ImportRefused(_("The file is empty."))
    if head.startswith(b"PK\x03\x04"):
        if extension != "xlsx":
            raise ImportRefused(_("The file is named .csv but holds a zip archive or a workbook."))
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            _("This is an old Excel workbook (.xls). Open it in Excel and save it as .xlsx, then upload it again.")
        )
    if extension == "xlsx":
        raise ImportRefused(_("The file is named .xlsx but is not an Excel workbook."))
    return "csv"


def _check_archive(stream: IO[bytes]) -> zipfile.ZipFile:
    """Open the XLSX as a zip and refuse it before parsing if it is not a spreadsheet, or would unpack
    to too much (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(stream)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRefused(_("The file is named .xlsx but is not a valid Excel workbook.")) from exc
    if len(infos) > _limit("CNAN_IMPORT_MAX_ZIP_ENTRIES", 1000):
        raise ImportRefused(_("The workbook holds too many parts to be read safely."))
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unpacked > _limit("CNAN_IMPORT_MAX_UNPACKED_BYTES", 10 * max_bytes()):
        raise ImportRefused(_("The workbook would unpack to too much data to be read safely."))
    ratio_limit = _limit("CNAN_IMPORT_MAX_RATIO", 100)
    for info in infos:
        # Small parts compress well without harm; only a large part with a huge ratio is a bomb.
        if info.file_size > 1024 * 1024 and info.file_size > ratio_limit * max(info.compress_size, 1):
            raise ImportRefused(_("The workbook is compressed suspiciously much; it is not read."))
    if unpacked > 1024 * 1024 and unpacked > ratio_limit * packed:
        raise ImportRefused(_("The workbook is compressed suspiciously much; it is not read."))
    try:
        content_types = archive.read("[Content_Types].xml")
    except KeyError as exc:
        raise ImportRefused(_("The file is named .xlsx but is not a valid Excel workbook.")) from exc
    if XLSX_MAIN_TYPE not in content_types:
        raise ImportRefused(_("The file is not an Excel workbook (.xlsx); macro-enabled workbooks are not accepted."))
    return archive


def _merged_cells(archive: zipfile.ZipFile, sheet_path: str) -> list[str]:
    """The merged ranges of a sheet, read from its XML (openpyxl's read-only mode does not expose them).

    The archive's sizes were checked first; the stream parser keeps only the current element."""
    ranges: list[str] = []
    with archive.open(sheet_path.lstrip("/")) as xml:
        for _event, element in iterparse(xml, events=("end",)):  # noqa: S314 - see the docstring
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell":
                ranges.append(element.get("ref", ""))
            elif tag in ("row", "c", "v", "sheetData"):
                element.clear()
    return ranges


@dataclass
class Table:
    """The data rows of an uploaded file: the header, then ``(row number, [(value, number format), …])``."""

    header_row: int
    header: list[Any]
    rows: Iterator[tuple[int, list[tuple[Any, str | None]]]]
    close: Callable[[], None]


def _xlsx_table(stream: IO[bytes], is_header: Callable[[list[Any]], bool] | None) -> Table:
    from openpyxl import load_workbook

    archive = _check_archive(stream)
    stream.seek(0)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any failure of a hostile or broken file
        raise ImportRefused(_("The workbook could not be read: it may be damaged.")) from exc
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None or not hasattr(sheet, "_worksheet_path"):
        workbook.close()
        raise ImportRefused(_("The workbook has no worksheet."))
    try:
        merged = _merged_cells(archive, sheet._worksheet_path)
    except (KeyError, SyntaxError) as exc:  # a missing or malformed sheet part (ParseError is a SyntaxError)
        workbook.close()
        raise ImportRefused(_("The workbook could not be read: it may be damaged.")) from exc
    finally:
        archive.close()
    if merged:
        workbook.close()
        raise ImportRefused(
            _("Cells %(cells)s of sheet “%(sheet)s” are merged. Unmerge them (one value per cell) and upload again.")
            % {"cells": merged[0], "sheet": sheet.title}
        )
    sheet.reset_dimensions()

    def cells() -> Iterator[tuple[int, list[tuple[Any, str | None]]]]:
        for cells_of_row in sheet.iter_rows():
            number = next((c.row for c in cells_of_row if getattr(c, "row", None)), None)
            if number is None:
                continue
            values: list[tuple[Any, str | None]] = []
            for cell in cells_of_row:
                if getattr(cell, "data_type", None) == "f":
                    raise ImportRefused(
                        _(
                            "Cell %(cell)s contains a formula. Replace formulas with their values "
                            "(copy, then paste values only) and upload again."
                        )
                        % {"cell": cell.coordinate}
                    )
                value = cell.value
                values.append((value, getattr(cell, "number_format", None) if value is not None else None))
            yield number, values

    return _table(cells(), workbook.close, is_header)


def _csv_table(stream: IO[bytes], is_header: Callable[[list[Any]], bool] | None) -> Table:
    data = stream.read()
    if b"\x00" in data:
        raise ImportRefused(_("The file is not a text (CSV) file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            _("The CSV file is not in UTF-8. Save it from Excel as “CSV UTF-8 (comma delimited)” and upload again.")
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def cells() -> Iterator[tuple[int, list[tuple[Any, str | None]]]]:
        try:
            for number, record in enumerate(reader, start=1):
                yield number, [(value, None) for value in record]
        except csv.Error as exc:
            raise ImportRefused(_("The CSV file could not be read (%(error)s).") % {"error": exc}) from exc

    return _table(cells(), lambda: None, is_header)


def _table(
    cells: Iterator[tuple[int, list[tuple[Any, str | None]]]],
    close: Callable[[], None],
    is_header: Callable[[list[Any]], bool] | None,
) -> Table:
    """The header is the first row, among the first ten, naming a column of the template (rows above it,
    such as a title, are skipped); failing that, the first non-empty row (to say what is wrong with it)."""
    first: tuple[int, list[Any]] | None = None
    skipped: list[tuple[int, list[tuple[Any, str | None]]]] = []
    for number, values in cells:
        plain = [v for v, _fmt in values]
        if any(not _is_empty(v) for v in plain):
            if is_header is None or is_header(plain):
                return Table(header_row=number, header=plain, rows=cells, close=close)
            if first is None:
                first = (number, plain)
            skipped.append((number, values))
        if number >= HEADER_SEARCH_ROWS:
            break
    if first is not None:
        rest = iter(skipped[1:])
        return Table(header_row=first[0], header=first[1], rows=itertools.chain(rest, cells), close=close)
    close()
    raise ImportRefused(_("The file is empty: the first row must hold the column names of the template."))


def open_table(
    stream: IO[bytes],
    filename: str,
    *,
    size: int | None = None,
    is_header: Callable[[list[Any]], bool] | None = None,
) -> Table:
    """Check an upload and open its data rows (``ImportRefused`` with the reason in the user's language)."""
    if size is None:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
        stream.seek(0)
    if size > max_bytes():
        raise ImportRefused(
            _("The file is too large (%(size)s MB; at most %(max)s MB).")
            % {"size": formats.number_format(size / 1048576, 1), "max": formats.number_format(max_bytes() / 1048576)}
        )
    fmt = detect_format(stream, filename)
    return _xlsx_table(stream, is_header) if fmt == "xlsx" else _csv_table(stream, is_header)


def header_lookup(spec: ImportSpec) -> dict[str, Column]:
    """Folded header text → column: the column's name and its label in Vietnamese and English."""
    lookup: dict[str, Column] = {}
    for column in spec.columns:
        lookup[fold(column.name)] = column
        for language in ("vi", "en"):
            with translation.override(language):
                lookup.setdefault(fold(column.label), column)
    return lookup


def _header_key(raw: Any) -> str:
    text = fold(cell_text(raw))
    return re.sub(r"\s*(\*|\(\s*(bat buoc|required)\s*\))$", "", text).strip()


def match_header(spec: ImportSpec, header: list[Any]) -> list[Column | None]:
    """The column under each header cell (``None``: an empty header cell); ``ImportRefused`` naming the
    unknown, repeated and missing required columns."""
    lookup = header_lookup(spec)
    mapped: list[Column | None] = []
    unknown: list[str] = []
    seen: set[str] = set()
    repeated: list[str] = []
    for raw in header:
        if _is_empty(raw):
            mapped.append(None)
            continue
        column = lookup.get(_header_key(raw))
        if column is None:
            unknown.append(cell_text(raw))
            mapped.append(None)
            continue
        if column.name in seen:
            repeated.append(cell_text(raw))
        seen.add(column.name)
        mapped.append(column)
    problems = []
    if unknown:
        problems.append(_("unknown columns: %(columns)s") % {"columns": ", ".join(f"“{u}”" for u in unknown)})
    if repeated:
        problems.append(_("repeated columns: %(columns)s") % {"columns": ", ".join(f"“{r}”" for r in repeated)})
    missing = [str(c.label) for c in spec.columns if c.required and c.name not in seen]
    if missing:
        problems.append(_("missing columns: %(columns)s") % {"columns": ", ".join(f"“{m}”" for m in missing)})
    if problems:
        raise ImportRefused(
            _("The header row does not match the template (%(problems)s). Download the template and use its first row.")
            % {"problems": "; ".join(problems)}
        )
    return mapped


# --- validation ------------------------------------------------------------------------------------


def validate(
    spec: ImportSpec,
    user: Any,
    stream: IO[bytes],
    filename: str,
    params: dict[str, Any],
    *,
    size: int | None = None,
    max_errors: int | None = None,
) -> Result:
    """Parse and check every row of the file; write nothing. ``ImportRefused`` if the file as a whole is
    refused; otherwise a :class:`Result` with the cleaned rows and every row error (the first
    ``max_errors`` kept, all counted)."""
    cap = max_errors if max_errors is not None else _limit("CNAN_IMPORT_MAX_ERRORS", 1000)
    max_rows = _limit("CNAN_IMPORT_MAX_ROWS", 100_000)
    lookup = header_lookup(spec)
    table = open_table(
        stream, filename, size=size, is_header=lambda cells: any(_header_key(c) in lookup for c in cells if c)
    )
    labels = {c.name: str(c.label) for c in spec.columns}
    result = Result()
    errors: list[CellError] = []
    try:
        mapped = match_header(spec, table.header)
        choice_maps = {c.name: _ChoiceMap(c) for c in spec.columns if c.kind == CHOICE}
        present = {c.name for c in mapped if c is not None}
        parsed: list[Row] = []
        bad: set[int] = set()  # indexes in ``parsed`` of rows with an error
        codes: dict[str, set[str]] = {c.name: set() for c in spec.columns if c.kind == REFERENCE}
        for number, values in table.rows:
            if all(_is_empty(v) for v, _fmt in values):
                continue
            result.row_count += 1
            if result.row_count > max_rows:
                raise ImportRefused(
                    _("The file has more than %(max)s rows; split it into several files.")
                    % {"max": formats.number_format(max_rows)}
                )
            row = Row(number)
            ok = True
            failed: set[str] = set()
            for index, (raw, number_format) in enumerate(values):
                column = mapped[index] if index < len(mapped) else None
                if column is None:
                    if not _is_empty(raw):
                        errors.append(
                            CellError(number, "", _("This cell is in a column without a name in the header row."), raw)
                        )
                        ok = False
                    continue
                if _is_empty(raw):
                    continue
                try:
                    row[column.name] = parse_cell(column, raw, number_format, choice_maps.get(column.name))
                except CellInvalid as exc:
                    errors.append(CellError(number, column.name, exc.message, raw))
                    failed.add(column.name)
                    ok = False
            for column in spec.columns:
                if column.name in row or column.name in failed:
                    if column.kind == REFERENCE:
                        codes[column.name].add(row[column.name])
                    continue
                if column.required:
                    errors.append(CellError(number, column.name, _("This value is required."), ""))
                    ok = False
                elif column.name in present or column.default is not None:
                    row[column.name] = column.empty_value()
            if not ok:
                bad.add(len(parsed))
            parsed.append(row)
    finally:
        table.close()
    if result.row_count == 0:
        raise ImportRefused(_("The file has no data rows under the header."))
    # References: every code of the file at once, through the app's resolver.
    for name, found in codes.items():
        resolver = next(c.resolve for c in spec.columns if c.name == name)
        objects = resolver(user, found, params) if (found and resolver) else {}
        for index, row in enumerate(parsed):
            code = row.get(name)
            if code is None or code == "":
                continue
            obj = objects.get(code)
            if obj is None:
                errors.append(CellError(row.number, name, _("No record with this code, or you may not see it."), code))
                bad.add(index)
            else:
                row[name] = obj
    clean = [row for index, row in enumerate(parsed) if index not in bad]
    if spec.validate_rows is not None and clean:
        clean, more = spec.validate_rows(user, clean, params)
        errors.extend(more)
    errors.sort(key=lambda e: e.row)
    result.error_count = len(errors)
    result.errors = [
        {
            "row": e.row,
            "column": labels.get(e.column, e.column),
            "value": cell_text(e.value)[:200],
            "message": str(e.message),
        }
        for e in errors[:cap]
    ]
    result.rows = clean if not errors else []
    return result


def display(value: Any) -> str:
    """A cleaned value as the preview shows it (in the user's language and formats)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date | Decimal | int):
        return str(formats.localize(value, use_l10n=True))
    return str(value)


def preview(spec: ImportSpec, rows: Iterable[Row], limit: int = PREVIEW_ROWS) -> dict[str, Any]:
    """The first rows as display text, for the page that asks to commit them (stored with the batch)."""
    columns = list(spec.columns)
    shown = []
    for row in rows:
        if len(shown) >= limit:
            break
        labels = {}
        for column in columns:
            value = row.get(column.name)
            if column.kind == CHOICE and value not in (None, ""):
                value = dict(column.get_choices()).get(value, value)
            labels[column.name] = display(value)
        shown.append([row.number, *(labels[c.name] for c in columns)])
    return {"columns": [str(c.label) for c in columns], "rows": shown}


# --- the commit ------------------------------------------------------------------------------------


def commit(
    spec: ImportSpec, user: Any, rows: list[Row], params: dict[str, Any], on_progress: Callable[[int, int], None]
) -> int:
    """Write ``rows`` through the spec (the caller holds the transaction). A service's
    ``ValidationError`` or ``PermissionDenied`` becomes ``CommitFailed`` naming the row."""
    total = len(rows)
    state = {"done": 0, "row": None}

    def progress(row: Row) -> None:
        state["row"] = row.number
        state["done"] = int(state["done"] or 0) + 1
        on_progress(int(state["done"] or 0), total)

    try:
        if spec.commit_row is not None:
            for row in rows:
                progress(row)
                spec.commit_row(user, row, params)
        elif spec.commit is not None:
            spec.commit(user, rows, params, progress)
    except ValidationError as exc:
        raise CommitFailed(state["row"], _error_text(exc, {c.name: str(c.label) for c in spec.columns})) from exc
    except (IntegrityError, DataError) as exc:
        raise CommitFailed(
            state["row"], _("The database refused this row (%(error)s).") % {"error": type(exc).__name__}
        ) from exc
    except PermissionDenied as exc:
        raise CommitFailed(state["row"], str(exc) or _("You do not have permission to perform this action.")) from exc
    return total


def _error_text(exc: ValidationError, labels: Mapping[str, str]) -> str:
    """A service's ``ValidationError`` as one line, fields named by their column labels."""
    if hasattr(exc, "error_dict"):
        parts = []
        for name, errors in exc.message_dict.items():
            messages = "; ".join(str(m) for m in errors)
            parts.append(messages if name == "__all__" else f"{labels.get(name, name)}: {messages}")
        return "; ".join(parts)
    return "; ".join(str(m) for m in exc.messages)


# --- the template ----------------------------------------------------------------------------------


def _sheet_title(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "Sheet1"


def allowed_values(column: Column) -> str:
    if column.kind == CHOICE:
        return "\n".join(f"{code} — {label}" for code, label in column.get_choices())
    if column.kind == BOOLEAN:
        return _("có / không (or x / empty, yes / no, 1 / 0)")
    if column.kind == DATE:
        return _("dd/mm/yyyy, e.g. 15/03/2025 (or a date cell)")
    if column.kind in (DECIMAL, PERCENT, INTEGER):
        hint = _("e.g. 1.234.567,5 or 1234567.5") if column.kind != INTEGER else _("e.g. 1.234 or 1234")
        if column.kind == PERCENT:
            hint = _("e.g. 12,5 or 12,5%")
        return hint
    if column.kind == REFERENCE:
        return _("the code of a record you may see")
    if column.max_length:
        return _("at most %(max)s characters") % {"max": column.max_length}
    return ""


def template_bytes(spec: ImportSpec) -> bytes:
    """The spec's template as an XLSX, in the active language: the data sheet (one header row of the
    column labels, required ones in red, text columns formatted as text so that codes keep their leading
    zeros) and an instructions sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    data = wb.active
    data.title = _sheet_title(spec.title())
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    for index, column in enumerate(spec.columns, start=1):
        cell = data.cell(row=1, column=index, value=str(column.label))
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = min(40, max(12, len(str(column.label)) + 4))
        if column.kind in (TEXT, REFERENCE, CHOICE):
            data.column_dimensions[letter].number_format = "@"
        elif column.kind == DATE:
            data.column_dimensions[letter].number_format = "DD/MM/YYYY"
    data.freeze_panes = "A2"

    guide = wb.create_sheet(_sheet_title(_("Instructions")))
    heads = [_("Column"), _("Required"), _("Kind"), _("Allowed values"), _("Example"), _("Notes")]
    guide.append(heads)
    for cell in guide[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for column in spec.columns:
        guide.append(
            [
                str(column.label),
                _("Yes") if column.required else _("No"),
                kind_label(column.kind),
                allowed_values(column),
                cell_text(column.example) if not isinstance(column.example, str) else column.example,
                str(column.help_text or ""),
            ]
        )
    notes = [
        _("Fill in the first sheet, one record per row, under its header row; do not change the header."),
        _("Columns in red are required. Columns you do not use may be left empty or removed."),
        _("Numbers: 1.234.567,5 or 1234567.5. Dates: dd/mm/yyyy. Yes/no: có / không."),
        _("Do not use formulas or merged cells. The file may also be saved as CSV UTF-8."),
    ]
    guide.append([])
    for note in notes:
        guide.append([note])
    widths = (28, 12, 22, 45, 22, 50)
    for index, width in enumerate(widths, start=1):
        guide.column_dimensions[get_column_letter(index)].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_name(spec: ImportSpec) -> str:
    stem = spec.file_stem or spec.key.replace(":", "-")
    return f"{stem}-{_('template')}.xlsx".replace(" ", "-")


# --- list pages ------------------------------------------------------------------------------------


def url_for(user: Any, key: str, **params: Any) -> str | None:
    """The import page of ``key`` for ``user``, or ``None`` if there is none or they may not use it
    (for an "Import" button on a list page)."""
    from django.urls import reverse
    from django.utils.http import urlencode

    spec = _specs.get(key)
    if spec is None or not may_use(user, spec):
        return None
    url = reverse("core:import_start", kwargs={"key": key})
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url
