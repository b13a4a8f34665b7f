"""The event status table (data/event_statuses.csv) and its one loader."""
import pytest

from newslens.core.errors import ParameterError
from newslens.textkit.event_statuses import load_statuses, status_colours, status_names

HEADER = "status,order,colour,description,cues,noun_cues\n"


def test_the_table_orders_the_path_and_colours_every_status():
    names = status_names()
    assert names.index("requested") < names.index("approved") < names.index("ordered") < names.index("delivered")
    assert "report" in names and "report" not in status_names(events_only=True)
    assert set(status_colours()) == set(names)


@pytest.mark.parametrize("row, message", [
    ("sent,1,green,x,sent,\n", "line 2: colour must be #rrggbb"),
    ("sent,first,#00ff00,x,sent,\n", "line 2: order must be a whole number"),
    ("sent,1,#00ff00,x,sen(t,\n", "line 2: cues cue 'sen(t' is not a valid regular expression"),
    ("sent,1,#00ff00,x,sent,\nsent,2,#00ff00,x,sent,\n", "line 3: status 'sent' is empty or repeated"),
    ("sent,1,#00ff00,x\n", "line 2: 4 fields but the header has 6"),
])
def test_a_bad_row_names_the_file_and_line(tmp_path, row, message):
    path = tmp_path / "statuses.csv"
    path.write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_statuses(path)


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "statuses.csv"
    path.write_text("status,order\nsent,1\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="missing column\\(s\\) colour"):
        load_statuses(path)
