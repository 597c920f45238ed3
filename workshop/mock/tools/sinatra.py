"""The example Ruby app the original platform's units clone: ``cf-example-sinatra``, offline.

The platform's pages run ``git clone https://github.com/Altoros/cf-example-sinatra`` and push
it; that repository is a small Sinatra app (``Gemfile`` with sinatra and sinatra-contrib,
``config.ru``, ``app.rb`` whose ``/`` shows the instance's IP, port and index from
``CF_INSTANCE_*``, an ERB view and a stylesheet) with branches ``with-service`` and
``with-ups`` that the services unit checks out. The offline ``git`` writes this equivalent
skeleton (written for the mock: the same layout and behaviour, not the original text); the
Ruby buildpack detects it by its ``Gemfile`` and the router answers for it as
:mod:`workshop.mock.router.sinatra`.
"""

from __future__ import annotations

REPOSITORY = "cf-example-sinatra"
"""The repository name (the last part of the URL) the offline git answers with this app."""

BRANCHES = ("master", "with-service", "with-ups", "with-cleardb", "postgres")
"""The branches of the original repository."""

FILES: dict[str, str] = {
    "Gemfile": 'source "http://rubygems.org"\n\ngem "sinatra"\ngem "sinatra-contrib"\n',
    "Gemfile.lock": """\
GEM
  remote: http://rubygems.org/
  specs:
    backports (3.6.7)
    rack (1.5.1)
    rack-protection (1.3.2)
      rack
    sinatra (1.3.4)
      rack (~> 1.4)
      rack-protection (~> 1.3)
      tilt (~> 1.3, >= 1.3.3)
    sinatra-contrib (1.3.2)
      backports (>= 2.0)
      sinatra (~> 1.3.0)
    tilt (1.3.3)

PLATFORMS
  ruby

DEPENDENCIES
  sinatra
  sinatra-contrib
""",
    "config.ru": "require File.expand_path('../app.rb', __FILE__)\nrun Sinatra::Application\n",
    "app.rb": """\
require 'sinatra'
require 'sinatra/reloader'

# The page shows which instance answered: Cloud Foundry sets CF_INSTANCE_* in each container.
get '/' do
  @ip = ENV.fetch('CF_INSTANCE_IP', '127.0.0.1')
  @port = ENV.fetch('CF_INSTANCE_PORT', '9292')
  @index = ENV.fetch('CF_INSTANCE_INDEX', '0')
  erb :index
end
""",
    "views/index.erb": """\
<!DOCTYPE html>
<html>
  <head>
    <title>Sinatra Example - Cloud Foundry</title>
    <link rel="stylesheet" href="style.css">
  </head>
  <body>
    <h1>Ruby/Sinatra Example - Cloud Foundry</h1>
    <h2>IP: <%= @ip %> - Port: <%= @port %> - Container Index: <%= @index %></h2>
  </body>
</html>
""",
    "public/style.css": "body { font-family: sans-serif; margin: 2em; }\nh1 { color: #0b6a9d; }\n",
    "README.md": "# cf-example-sinatra\n\nA tiny Sinatra app to push to Cloud Foundry: `cf push`.\n",
    ".gitignore": "*.gem\n/.bundle/\n/vendor/bundle\n/tmp/\n.idea\n",
}
"""The skeleton's files (path -> text)."""


def page(ip: str, port: int, index: int) -> str:
    """What ``GET /`` of the running app answers: the view rendered for one instance."""
    return (
        FILES["views/index.erb"]
        .replace("<%= @ip %>", ip)
        .replace("<%= @port %>", str(port))
        .replace("<%= @index %>", str(index))
    )
