"""JupyterLab as people use it (issue 23): a check's error in one line in a kernel."""

from __future__ import annotations

from typing import Any

from casualty_report import errors

# 1. The project's check errors in one line in a kernel; any other error in full.


def run_cells(*sources: str) -> list[dict[str, Any]]:
    """Run each source as a cell in the project's kernel, errors allowed; the error outputs."""
    import nbclient
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nbclient.NotebookClient(nb, kernel_name="casualty-report", allow_errors=True).execute()
    return [next((o for o in cell.outputs if o.output_type == "error"), None) for cell in nb.cells]


def lines(error: dict[str, Any]) -> list[str]:
    return "".join(error["traceback"]).splitlines()


def test_check_errors_show_in_one_line_and_other_errors_in_full() -> None:
    import_only, figures, model, other = run_cells(
        "import casualty_report.ledger.figures as figures",
        "figures.load_figures('/nonexistent/figures.csv')",
        "from casualty_report.model.inputs import check_stale_parameters\n"
        "check_stale_parameters(30, 'drop')",
        "def divide():\n    return 1 / 0\n\ndivide()",
    )
    assert import_only is None
    assert figures["ename"] == "FiguresError" and len(lines(figures)) == 1
    assert "file not found" in lines(figures)[0]
    assert model["ename"] == "ParameterError" and len(lines(model)) == 1
    assert "stale_treatment" in lines(model)[0]
    assert other["ename"] == "ZeroDivisionError"
    assert len(lines(other)) > 3 and any("divide()" in line for line in lines(other))


class Shell:
    """Enough of an IPython shell to register a custom exception handler on."""

    def __init__(self, custom: tuple = ()) -> None:
        self.custom_exceptions = custom

    def set_custom_exc(self, exc_tuple: tuple, handler: Any) -> None:
        self.custom_exceptions, self.handler = exc_tuple, handler


def test_show_in_one_line_registers_once_and_leaves_another_handler_alone() -> None:
    shell = Shell()
    assert errors.show_in_one_line(shell) and shell.custom_exceptions == (errors.CheckError,)
    assert errors.show_in_one_line(shell)  # again: the same handler
    theirs = Shell((KeyError,))
    assert not errors.show_in_one_line(theirs) and theirs.custom_exceptions == (KeyError,)
