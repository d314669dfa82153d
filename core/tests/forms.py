"""For tests that post a create form directly: the one-time token the form page would have given."""

import uuid


def fresh_token() -> dict[str, str]:
    return {"form_token": str(uuid.uuid4())}
