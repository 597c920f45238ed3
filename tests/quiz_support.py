"""The small Quiz.yml the quiz tests share (the original platform's format): an ``input``
question answered ``pwd`` and a ``checkbox_multiple`` one whose right options are 1 and 3
(bash, zsh; vim is wrong). Tests of the engine, the line mode and the TUI import it as
``from quiz_support import QUIZ``."""

QUIZ = """questions:
- id: "1"
  formulation: "Which command prints the current folder?"
  type: input
  answer: 'pwd'
- id: "2"
  formulation: "Which of these are shells?"
  type: checkbox_multiple
  options:
  - id: "1"
    value: "bash"
  - id: "2"
    value: "vim"
  - id: "3"
    value: "zsh"
  answer: "(1,3)"
"""
