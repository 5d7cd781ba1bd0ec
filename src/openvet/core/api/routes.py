from ninja import Router

router = Router(tags=["org tree"])
