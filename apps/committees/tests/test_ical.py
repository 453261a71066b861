from apps.committees.ical import escape, fold


def test_it_escapes_text_values():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_it_folds_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "منصة التتبع غير محينة، " * 10
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
    assert fold("SHORT:x") == "SHORT:x"
