check 'cf spaces' 'sandbox' true #> There is no space called sandbox yet.
check 'cf target' 'Space: +sandbox' true #> The CLI does not target the space sandbox yet.
