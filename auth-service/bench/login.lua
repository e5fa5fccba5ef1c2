wrk.method = "POST"
wrk.body = '{"username":"demo","password":"demo-password-1","tenant":"clinicwave"}'
wrk.headers["Content-Type"] = "application/json"
