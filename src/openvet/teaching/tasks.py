"""Background jobs of the teaching app."""

from celery import shared_task

from openvet.teaching.services.solver import solver_execute


@shared_task(name="teaching.run_solver")  # type: ignore[untyped-decorator]
def run_solver(run_id: int) -> str:
    return str(solver_execute(run_id=run_id).status)
