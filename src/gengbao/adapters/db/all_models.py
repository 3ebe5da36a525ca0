"""Import every model module so that ``Base.metadata`` knows all tables (for Alembic checks)."""

import gengbao.adapters.db.models_cases  # noqa: F401
import gengbao.adapters.db.models_ledger  # noqa: F401
import gengbao.adapters.db.models_monitoring  # noqa: F401
import gengbao.adapters.db.models_targets  # noqa: F401
import gengbao.adapters.db.models_tasks  # noqa: F401
import gengbao.adapters.db.models_users  # noqa: F401
from gengbao.adapters.db import models  # noqa: F401
from gengbao.adapters.db.base import Base

metadata = Base.metadata
