"""Every code block in a lesson declares how it runs, and few are mere fragments."""

from collections import Counter

from tests.examples.lessons import blocks, chain, collect, find

SERVERS = {"django", "express"}


def test_every_block_has_a_valid_annotation():
    problems = collect()[1]
    assert not problems, "\n".join(problems)


def test_fragments_are_under_a_fifth_of_all_blocks():
    all_blocks = blocks()
    fragments = [b for b in all_blocks if b.runner == "fragment"]
    share = len(fragments) / len(all_blocks)
    runners = Counter(b.runner for b in all_blocks)
    assert share < 0.2, f"{len(fragments)} of {len(all_blocks)} blocks are fragments: {runners}"


def test_references_name_blocks_of_the_right_kind():
    problems = []
    for block in blocks():
        wanted = {"against": SERVERS, "continues": {block.runner}}
        for key, kinds in wanted.items():
            for value in block.all(key):
                for reference in value.split(","):
                    if key == "against" and reference in ("lab",):
                        continue
                    try:
                        target = find(block, reference.split("#")[0])
                    except LookupError as error:
                        problems.append(str(error))
                        continue
                    if target.runner not in kinds:
                        problems.append(
                            f"{block.where}: {key}={reference} is a {target.runner} block, "
                            f"not {' or '.join(sorted(kinds))}"
                        )
    assert not problems, "\n".join(problems)


def test_every_server_example_answers_at_least_one_shown_request():
    exercised = set()
    for block in blocks():
        for value in block.all("against"):
            for reference in value.split(","):
                if reference != "lab":
                    exercised.update(chain(find(block, reference)))
    idle = [b.where for b in blocks() if b.runner in SERVERS and b not in exercised]
    assert not idle, "server examples no http or curl block replays against:\n" + "\n".join(idle)
