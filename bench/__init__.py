"""Benchmarks and fault scenarios (scripts that print figures), and what they share."""

from sources.structure import REPEAT_CHARS, heading_of

SENTENCE_MARKS = tuple("。；;：:！!？?")


def distinct_copies(text: str, copies: int) -> str:
    """``copies`` of a report, each paragraph marked with its copy's number. The parser reads a
    paragraph that comes again word for word once (a web page that holds its report twice), so
    copies made by plain repetition would be one report however many there are."""
    def marked(line: str, i: int) -> str:
        if len(line.strip()) < REPEAT_CHARS or heading_of(line.strip()) is not None:
            return line
        if line.endswith(SENTENCE_MARKS):
            return f"{line[:-1]}（副本{i}）{line[-1]}"
        return f"{line}（副本{i}）"

    return "\n".join(marked(line, i) for i in range(copies) for line in (text + "\n").split("\n"))
