"""Demo data: placeholder."""
from sqlalchemy.orm import Session


def load_demo(session: Session) -> str:
    return "todo"
