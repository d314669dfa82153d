"""Who may reach finance's pages (core.permissions): finance officers only."""

from accounts.roles import Role
from core.permissions import register, roles

FINANCE = roles(Role.FINANCE_OFFICER, refusal="Paying providers is for finance officers.")

register(
    "finance",
    {
        "planned_visits": FINANCE,
        "imports": FINANCE,
        "import_detail": FINANCE,
        "import_progress": FINANCE,
        "reconciliation": FINANCE,
        "tolerances": FINANCE,
        "exceptions": FINANCE,
        "exception": FINANCE,
        "decide": FINANCE,
        "payable": FINANCE,
        "payment_run": FINANCE,
        "payment_run_csv": FINANCE,
        "statement_pdf": FINANCE,
    },
)
