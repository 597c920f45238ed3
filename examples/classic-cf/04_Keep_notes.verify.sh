check 'pwd' '/notes$' true #> Go into the notes folder first.
check 'cat spaces.txt' 'sandbox' true #> spaces.txt does not list the space sandbox.
