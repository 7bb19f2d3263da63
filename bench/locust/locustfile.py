# The smallest Locust user for bench/peers.sh: GET /ping in a loop with no wait, over FastHttpUser (geventhttpclient)
# when it is installed, else HttpUser (requests).
try:
    from locust.contrib.fasthttp import FastHttpUser as BaseUser
except ImportError:
    from locust import HttpUser as BaseUser
from locust import constant, task


class Ping(BaseUser):
    wait_time = constant(0)

    @task
    def ping(self):
        self.client.get("/ping")
