"""The ``kavosh`` command line: a thin shell over ``indexer`` and ``search``."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from backends import BACKENDS, BadConfig, Config, open_backend
from backends.base import BackendUnavailable, IndexBusy, IndexMissing
from indexer.stem import DEFAULT_STEMMER, STEMMERS
from kavosh import index_location
from kavosh.progress import RollingRate, clock
from kavosh.terminal import BIDI_MODES, bidi_wanted, visual_lines, width

if TYPE_CHECKING:
    from indexer.build import Summary
    from search.engine import Engine

# Each command imports what it needs when it runs: ``kavosh stats`` never loads the analysis, and
# ``kavosh search`` never loads the readers or the speaker finder.
#: ``indexer.readers.FORMATS``, for ``--format``, named here so that starting the command does not
#: import every reader (tests/test_cli.py checks that the two agree).
FORMATS = ("irnews", "farsnews", "jsonl", "hamshahri", "csv", "page")
_MARK = re.compile(r"</?mark>")
INDEX_HELP = "Index folder (default: $KAVOSH_INDEX, else var/index)."


def backend_options(command: Any) -> Any:
    """``--backend`` and ``--opensearch``, kept in the context for ``_config`` (every command that opens an index)."""

    def keep(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        ctx.meta[f"kavosh.{param.name}"] = value
        return value

    command = click.option("--opensearch", envvar="KAVOSH_OPENSEARCH_URL", expose_value=False, callback=keep,
                           metavar="URL[,URL...]",
                           help="OpenSearch nodes to use with --backend opensearch ($KAVOSH_OPENSEARCH_URL).")(command)
    return click.option("--backend", type=click.Choice(list(BACKENDS)), envvar="KAVOSH_BACKEND", expose_value=False,
                        callback=keep, help="Search engine: whoosh (default, a folder) or opensearch (a cluster).",
                        )(command)  # fmt: skip


def _config(index: str | None) -> Config:
    meta = click.get_current_context().meta
    try:
        return Config.from_options(meta.get("kavosh.backend"), index_location(index), meta.get("kavosh.opensearch"))
    except BadConfig as err:
        _fail(str(err), 2)
        raise  # not reached: _fail exits


def _engine(index: str | None) -> Engine:
    from search.engine import Engine

    return Engine(_config(index))


def _fail(message: str, code: int = 1) -> None:
    """One line on stderr (an engine's message may hold line breaks), then exit with ``code``."""
    click.echo(f"kavosh: {' '.join(message.split())}", err=True)
    sys.exit(code)


class _Commands(click.Group):
    """The command group; a reader that goes away (``kavosh search … | head``) ends a command quietly."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # As Unix tools do: stop writing, exit 0. What is still buffered for the closed pipe
            # goes to /dev/null, or Python's final flush would fail again on the way out.
            # (stdout that is not a file, as in click's test runner, has nothing left to flush)
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Kavosh (کاوش): full-text search for Persian news."""


@main.command("reindex")
@click.argument("paths", nargs=-1, type=click.Path(), required=True)
@click.option("--index", "index", envvar="KAVOSH_INDEX", help=INDEX_HELP)
@backend_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Read every file in this format.")
@click.option("--stemmer", type=click.Choice(STEMMERS), default=DEFAULT_STEMMER, show_default=True,
              help="How words are reduced to stems (see docs/evaluation.md).")
@click.option("--strict", is_flag=True, help="Stop at the first bad file or record.")
@click.option("--rebuild", is_flag=True, help="Read every file again and build the index from nothing.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--log-progress", is_flag=True, help="Progress as plain lines on stderr (for logs, not a terminal).")
@click.option("--procs", "-j", type=click.IntRange(min=1), default=min(4, os.cpu_count() or 1), show_default=True,
              help="Processes to use (large corpora; small ones stay in one).")
@click.option("--part", "part_text", metavar="K/N",
              help="Read only part K of N of the files (N machines feeding one OpenSearch index; docs/scaling.md).")
def reindex_command(paths: tuple[str, ...], index: str | None, fmt: str | None, stemmer: str,
                    strict: bool, rebuild: bool, quiet: bool, log_progress: bool, procs: int,
                    part_text: str | None) -> None:
    """Bring the index up to date with corpus files and folders (format detected per file).

    The index mirrors PATHS: only new or changed files are read again
    (content hash), and articles of files that are gone leave the index.
    The new index replaces the old one only when it is complete; a second
    reindex of the same index is refused while one runs.
    """
    from indexer.build import NothingIndexed, reindex
    from indexer.parts import WHOLE, parse_part
    from indexer.readers import ReadError, find_corpus_files
    try:
        part = parse_part(part_text) if part_text is not None else WHOLE
    except ValueError as err:
        _fail(str(err), 2)
    target = open_backend(_config(index))
    if part.total > 1 and not target.parts:
        _fail(f"--part {part}: {target.description} is written by one machine; use --backend opensearch", 2)
    try:
        total = sum(1 for _, relative in find_corpus_files(paths) if part.total == 1 or part.holds(relative))
    except ReadError as err:
        _fail(str(err), 2)
    show = not quiet and sys.stderr.isatty()
    rate = RollingRate()

    def pace(item: object = True) -> str | None:
        """«312 docs/s, ETA 0:42» from the recent rate; nothing until there is enough to go by."""
        per_second = rate.articles_per_second()
        if item is None or per_second is None:
            return None
        return f"{per_second:,.0f} docs/s, ETA {clock(rate.eta(total))}"

    with click.progressbar(length=total, label="indexing", file=sys.stderr, show_pos=True, show_eta=False,
                           item_show_func=pace) if show else _NoBar() as bar:
        step = max(1, total // 20)

        def progress(done: int, files: int, articles: int) -> None:
            rate.add(time.monotonic(), done, articles)
            bar.update(done - bar.pos, current_item=done)
            if log_progress and (done % step == 0 or done == files):
                known = pace()
                click.echo(f"indexing: {done}/{files} files, {articles} articles added"
                           + (f", {known}" if known else ""), err=True)

        def stage(name: str) -> None:
            """A step after the files (each article's neighbours): said, so the full bar does not look stuck."""
            if log_progress:
                click.echo(f"indexing: all files read; computing {name}", err=True)
            bar.label = name
            bar.render_progress()

        try:
            summary = reindex(paths, target, stemmer=stemmer, fmt=fmt, strict=strict, rebuild=rebuild,
                              progress=progress, procs=procs, part=part, stage=stage)
        except (IndexBusy, NothingIndexed) as err:
            _fail(str(err), 1)
        except BackendUnavailable as err:
            _fail(f"{err}; the index searched is unchanged", 1)
        except ReadError as err:
            _fail(f"{err} (--strict: nothing was changed)", 1)
        except OSError as err:
            _fail(f"cannot write the index: {err}; the previous index is unchanged", 1)
    for line in summary_lines(summary, target.location):
        click.echo(line)
    if part.total > 1:
        waiting = ", ".join(map(str, summary.waiting))
        click.echo(f"part {part} done; the index becomes current when parts {waiting} have ended" if waiting
                   else f"part {part} ended last: the index of all {part.total} parts is current")  # fmt: skip
        if not waiting:
            click.echo(PARTS_WITHOUT_NEIGHBOURS)


#: Said when an index fed in parts becomes current (docs/cluster.md: why, and what to run).
PARTS_WITHOUT_NEIGHBOURS = (
    "its searches rank without score regularization: no part reads every article, so none computed "
    "the articles' neighbours; `kavosh reindex` over the same paths with the same --backend and "
    "--opensearch options, without --part, on one machine, computes them (it reads every article once "
    "and changes nothing else)"
)


def summary_lines(summary: Summary, target: Path | str) -> list[str]:
    """What a reindex did, in a few lines an operator can read."""
    formats = ", ".join(f"{name} {count:,}" for name, count in sorted(summary.formats.items()))
    if summary.added or summary.removed:
        first = (f"indexed {summary.indexed:,} articles from {summary.files:,} files ({formats}) "
                 f"into {target} in {summary.seconds:.1f} s")
    else:
        first = f"nothing changed in {target} ({summary.seconds:.1f} s): {summary.articles_line()}"
    lines = [
        first,
        f"{summary.mode}: {summary.files_read:,} files read, {summary.files_unchanged:,} unchanged, "
        f"{summary.files_removed:,} gone; articles: {summary.articles_line()}",
    ]
    if summary.duplicates:
        kinds = ", ".join(f"{count:,} same {kind}" for kind, count in sorted(summary.duplicates.items()))
        lines.append(f"duplicates not indexed again: {sum(summary.duplicates.values()):,} ({kinds})")
    if summary.grouped:
        lines.append(f"grouped with an article of the same body (one hit in searches): {summary.grouped:,}")
    if summary.skipped:
        lines.append(f"skipped {len(summary.skipped):,}:")
        lines.extend(f"  {reason}" for reason in summary.skipped)
    if summary.notes:
        lines.append(f"read with a guess or a repair, {len(summary.notes):,}:")
        lines.extend(f"  {note}" for note in summary.notes)
    return lines


class _NoBar:
    pos = 0
    label = ""

    def render_progress(self) -> None:
        pass

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def update(self, n: int, current_item: object = None) -> None:
        self.pos += n


def _filters(tag: tuple[str, ...], speaker: tuple[str, ...], source: tuple[str, ...],
             month: tuple[str, ...], since: str | None, until: str | None, sort: str,
             page: int, limit: int, query: str) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {
        "q": [query], "tag": list(tag), "speaker": list(speaker), "source": list(source),
        "month": list(month), "sort": [sort], "page": [str(page)], "limit": [str(limit)],
    }
    if since:
        params["since"] = [since]
    if until:
        params["until"] = [until]
    return params


@main.command("search")
@click.argument("query", required=False, default="")
@click.option("--index", "index", envvar="KAVOSH_INDEX", help=INDEX_HELP)
@backend_options
@click.option("--tag", multiple=True, help="Only articles with this tag (repeatable).")
@click.option("--speaker", multiple=True, help="Only articles quoting this person (repeatable).")
@click.option("--source", multiple=True, help="Only articles from this source (repeatable).")
@click.option("--category", multiple=True, help="Only articles in this category (repeatable).")
@click.option("--cited", multiple=True, help="Only articles reporting from this agency (repeatable).")
@click.option("--year", multiple=True, help="Jalali year YYYY, or 'undated' (repeatable), as on the site.")
@click.option("--month", multiple=True,
              help="Jalali month YYYY-MM, or MM of each --year, or 'undated' (repeatable).")
@click.option("--since", help="From this date: 1398-10-30, ۱۳۹۸/۱۰/۳۰ or 2020-01-20.")
@click.option("--until", help="Up to this date, inclusive.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--limit", type=int, default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--bidi", type=click.Choice(BIDI_MODES, case_sensitive=False), default="auto", show_default=True,
              envvar="KAVOSH_BIDI",
              help="Shape and reorder Persian line by line for terminals that do not (auto: on a terminal "
                   "that does not do it itself; env KAVOSH_BIDI).")
@click.option("--no-bidi", "no_bidi", is_flag=True, hidden=True)  # before --bidi off: kept for scripts
@click.option("--batch", type=click.Path(exists=True, dir_okay=False),
              help="qid<TAB>query file: write a TREC run instead (needs --run).")
@click.option("--run", "run_path", type=click.Path(dir_okay=False), help="TREC run file to write.")
@click.option("--literal", is_flag=True,
              help="Search exactly as typed: no keyboard-layout or spelling rescue.")
def search_command(query: str, index: str | None, tag: tuple[str, ...], speaker: tuple[str, ...],
                   source: tuple[str, ...], category: tuple[str, ...], cited: tuple[str, ...],
                   year: tuple[str, ...], month: tuple[str, ...], since: str | None,
                   until: str | None, sort: str, page: int, limit: int, as_json: bool,
                   bidi: str, no_bidi: bool, batch: str | None, run_path: str | None, literal: bool = False) -> None:
    """Search the index. QUERY supports "phrases", -word and title: tag: speaker: source:."""
    from search.engine import public_result
    from search.request import BadRequest, from_params

    try:
        engine = _engine(index)
        if batch:
            from search.evaluate import read_queries, run_lines

            if not run_path:
                _fail("--batch needs --run FILE", 2)
            lines = run_lines(engine, read_queries(Path(batch)), limit=max(limit, 1000))
            Path(str(run_path)).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
            return
        params = _filters(tag, speaker, source, _months_of(year, month), since, until, sort, page, limit, query)
        params.update(category=list(category), cited=list(cited), year=list(year))
        if literal:
            params["literal"] = ["1"]
        request = from_params(params)
        engine.prepare()  # open the index and load its word lists: the time reported is the search's own
        result = engine.search(request)
    except (BadRequest, ValueError) as err:
        _fail(str(err), 2)
    except (IndexMissing, BackendUnavailable) as err:
        _fail(str(err), 1)
    if as_json:
        click.echo(json.dumps(public_result(result), ensure_ascii=False, indent=1))
        return
    show = _Shown(bidi_wanted("off" if no_bidi else bidi.lower(), sys.stdout.isatty()))
    for line in _notices(result):
        show("", line)
    show("", f"{result['total']} نتیجه  ({result['seconds'] * 1000:.0f} ms)")
    for n, hit in enumerate(result["hits"], start=(request.page - 1) * request.limit + 1):
        show(f"{n:>3}. ", f"{hit['title']}  [{hit['id']}]")
        meta = " · ".join(x for x in [hit["source"], (hit["published"] or "")[:10], "، ".join(hit["tags"])] if x)
        if meta:
            show("     ", meta)
        show("     ", _plain(hit["snippet"]))


def _months_of(years: tuple[str, ...], months: tuple[str, ...]) -> tuple[str, ...]:
    """``--month``: YYYY-MM as given; a bare month number (any digits) is that month of each ``--year``."""
    from indexer.normalize import fold_digits

    keys: list[str] = []
    for month in months:
        folded = fold_digits(month.strip())
        if not (folded.isdigit() and len(folded) <= 2):
            keys.append(month)
        elif not 1 <= int(folded) <= 12:
            raise click.BadParameter(f"a month is 1 to 12 (got {month!r})", param_hint="--month")
        elif not years:
            raise click.BadParameter(f"{month!r} is a month of which year? Add --year, or write YYYY-MM",
                                     param_hint="--month")
        else:
            keys += [f"{fold_digits(y.strip())}-{int(folded):02d}" for y in years]
    return tuple(keys)


class _Shown:
    """Prints a line of results; with bidi, wrapped to the terminal and reordered line by line.

    ``prefix`` (numbering, indentation) stays at the left and indents the continuation lines.
    """

    def __init__(self, bidi: bool) -> None:
        self.bidi = bidi
        self.columns = width() if bidi else 0

    def __call__(self, prefix: str, text: str) -> None:
        if not self.bidi:
            click.echo(prefix + text)
            return
        for n, line in enumerate(visual_lines(text, self.columns - len(prefix) - 1)):
            click.echo((prefix if n == 0 else " " * len(prefix)) + line)


def _notices(result: dict[str, Any]) -> list[str]:
    """What the page says above the results: what was searched instead, a suggestion, a cut query."""
    lines = []
    searched = result.get("searched")
    if searched:
        lines.append(f"نتایج برای «{searched['query']}» (نوشته شده: «{searched['original']}»؛ "
                     "برای جست‌وجوی همان که نوشته شد: --literal)")
    if result.get("suggestion"):
        lines.append(f"آیا منظور شما «{result['suggestion']}» بود؟")
    if result.get("truncated"):
        lines.append("پرسش بیش از حد طولانی بود و کوتاه شد.")
    return lines


def _plain(snippet: str) -> str:
    """A snippet without its HTML, for the terminal."""
    return html.unescape(_MARK.sub("", snippet))


@main.command("evaluate")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False), required=True)
@click.option("--qrels", type=click.Path(exists=True, dir_okay=False), required=True)
@click.option("--index", "index", envvar="KAVOSH_INDEX", help=INDEX_HELP)
@backend_options
@click.option("--tune", "grid", multiple=True, metavar="NAME=V1,V2",
              help="Cross-validate a grid of search.query settings (repeat for more axes; docs/evaluation.md).")
@click.option("--json", "as_json", is_flag=True)
def evaluate_command(queries: str, qrels: str, index: str | None, grid: tuple[str, ...], as_json: bool) -> None:
    """Print MAP, P@10 and nDCG@10 of the index on judged queries.

    With --tune, also the 5-fold cross-validated MAP of choosing among the grid's settings.
    """
    from search.crossval import parse_grid
    from search.evaluate import evaluate, tune

    try:
        settings = parse_grid(grid)
    except ValueError as err:
        _fail(f"--tune {err}", 2)
    try:
        if grid:
            scores = tune(_engine(index), Path(queries), Path(qrels), settings)
        else:
            scores = evaluate(_engine(index), Path(queries), Path(qrels))
    except ValueError as err:  # a malformed queries file, too few judged queries for folds
        _fail(str(err), 2)
    except (IndexMissing, BackendUnavailable) as err:
        _fail(str(err), 1)
    if as_json:
        click.echo(json.dumps(scores, ensure_ascii=False))
    else:
        click.echo("  ".join(f"{name} {value:.4f}" for name, value in scores.items() if isinstance(value, float)))
        for line in scores.get("settings", []):
            click.echo(f"  {line['MAP']:.4f}  {line['setting']}")
        if "chosen" in scores:
            click.echo(f"chosen per fold: {'; '.join(scores['chosen'])}")


@main.command("parse")
@click.argument("paths", nargs=-1, type=click.Path(), required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Read every file in this format.")
@click.option("--evidence", is_flag=True, help="Add the sentence that shows each speaker was quoted.")
def parse_command(paths: tuple[str, ...], fmt: str | None, evidence: bool) -> None:
    """Print the articles the readers extract, as JSON Lines (errors on stderr).

    Speakers the reader did not give are extracted from the text, as the index does.
    """
    from indexer.readers import ReadError, find_files, read_file
    from indexer.speakers import find_speakers

    bad = 0
    try:
        files = list(find_files(paths))
    except ReadError as err:
        _fail(str(err), 2)
    for path in files:
        try:
            for item in read_file(path, fmt):
                if isinstance(item, ReadError):
                    bad += 1
                    click.echo(f"kavosh: {item}", err=True)
                else:
                    record = item.to_json()
                    found = [] if item.speakers and not evidence else find_speakers(item)
                    if not item.speakers:
                        record["speakers"] = [s.name for s in found]
                    if evidence:
                        record["speaker_evidence"] = [{"name": s.name, "sentence": s.sentence} for s in found]
                    click.echo(json.dumps(record, ensure_ascii=False))
        except ReadError as err:
            bad += 1
            click.echo(f"kavosh: {err}", err=True)
    if bad:
        sys.exit(1)


@main.command("speaker-names")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Where to write the lists (default: indexer/speakers/corpus_names.txt, read by the extractor).")
def speaker_names_command(paths: tuple[str, ...], output: str | None) -> None:
    """Learn the corpus's person names (given names, surnames, outlets) from the articles in PATHS."""
    from indexer.article import Article
    from indexer.readers import find_files, read_file
    from indexer.speakers import model
    from indexer.speakers.extract import sentences

    def texts() -> Iterator[str]:
        for path in find_files(paths):
            for item in read_file(path):
                if isinstance(item, Article):
                    yield from sentences([item.title, item.lead, item.body])

    learned = model.build(texts())
    target = Path(output) if output else model.NAMES_FILE
    model.save(learned, target)
    click.echo(f"{len(learned.given)} given names, {len(learned.surnames)} surnames, "
               f"{len(learned.outlets)} outlets, {len(learned.full)} full names -> {target}")


@main.command("evaluate-speakers")
@click.argument("labels", type=click.Path(exists=True, dir_okay=False))
@click.option("--corpus", type=click.Path(exists=True, file_okay=False),
              help="Folder of the labelled articles (default: ../../corpus/ir-news/Dataset from LABELS).")
@click.option("--split", help="Only the labelled articles of this split (train, heldout, heldout2, heldout3).")
def evaluate_speakers_command(labels: str, corpus: str | None, split: str | None) -> None:
    """Precision and recall of speaker extraction on labelled articles (JSON Lines)."""
    from indexer.readers import ReadError
    from indexer.speakers.evaluate import evaluate as evaluate_speakers

    try:
        score = evaluate_speakers(Path(labels), Path(corpus) if corpus else None, split)
    except (ReadError, ValueError) as err:
        _fail(str(err), 1)
    click.echo(f"precision {score.precision:.4f}  recall {score.recall:.4f}  F1 {score.f1:.4f}")
    if score.quotes_labelled:
        click.echo(f"quotes attributed {score.quotes_right}/{score.quotes_labelled} ({score.quote_attribution:.4f})")
    for name, person in score.misses:
        click.echo(f"miss       {name}: {person}")
    for name, speaker in score.false_hits:
        click.echo(f"false hit  {name}: {speaker.name}  ← {speaker.sentence}")


@main.command("stats")
@click.option("--index", "index", envvar="KAVOSH_INDEX", help=INDEX_HELP)
@backend_options
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
def stats_command(index: str | None, as_json: bool) -> None:
    """Documents, sources, tags, speakers, date range, size and the last reindex."""

    try:
        stats = _engine(index).stats()
    except (IndexMissing, BackendUnavailable) as err:
        _fail(str(err), 1)
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False))
        return
    dates = stats["date_range"]
    click.echo(f"    documents: {stats['documents']:,}")
    for facet in ("sources", "tags", "speakers", "categories"):
        click.echo(f"{facet:>13}: {stats[facet]:,}")
    if dates:
        jalali = stats["date_range_jalali"]
        click.echo(f"   date range: {dates[0][:10]} .. {dates[1][:10]}  (Jalali {jalali[0]} .. {jalali[1]})")
    else:
        click.echo("   date range: -")
    click.echo(f"      undated: {stats['undated']:,}")
    click.echo(f"   index size: {stats['index_bytes'] / 2**20:.1f} MB")
    click.echo(f" last reindex: {stats['last_reindex']} ({stats['last_summary'].get('mode', '')}, "
               f"{stats['last_summary'].get('seconds', 0)} s, {len(stats['last_summary'].get('skipped', []))} skipped)")
    click.echo(f"      stemmer: {stats['stemmer']}")
    if stats.get("health"):  # a cluster's own health: green, yellow (a replica missing) or red
        click.echo(f"       health: {stats['health']}")


@main.command("serve")
@click.option("--index", "index", envvar="KAVOSH_INDEX", help=INDEX_HELP)
@backend_options
@click.option("--host", default="127.0.0.1", show_default=True, envvar="KAVOSH_HOST",
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=5000, type=click.IntRange(0, 65535), show_default=True, envvar="KAVOSH_PORT")
@click.option("--workers", type=click.IntRange(1, 64), envvar="KAVOSH_WORKERS",
              help="Worker processes, each with its own index reader.  [default: the cores]")
@click.option("--threads", default=1, type=click.IntRange(1, 256), show_default=True, envvar="KAVOSH_THREADS",
              help="Threads per worker (searching is CPU-bound: more threads do not use more cores).")
def serve_command(index: str | None, host: str, port: int, workers: int | None, threads: int) -> None:
    """Serve the search site with gunicorn, one worker process per core."""
    from kavosh.server import cores, serve

    workers = workers or cores()
    config = _config(index)
    location = str(config.index)
    click.echo(f"Kavosh: http://{host}:{port}/  ({open_backend(config).description}, "
               f"{workers} workers × {threads} threads)")
    serve(location, host, port, workers, threads,
          {"BACKEND": config.backend, "OPENSEARCH_URL": ",".join(config.urls), "OPENSEARCH_ALIAS": config.alias})


if __name__ == "__main__":
    main()
