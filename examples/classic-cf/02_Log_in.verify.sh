check 'cf target' "User: +$CF_USER" true #> You are not logged in yet.
