"""The faces inside ComfyUI: node classes and the registration of the HTTP routes."""
