# The dispatcher console (web and Mini App).

menu-console = 🖥 Console
console-link =
    Dispatcher console: the day's board, masters, live changes.

    "Open in Telegram" opens it right here. "Open in a browser" is a one-time link for a computer, valid for { $minutes } min.
console-link-text =
    Dispatcher console: a one-time login link, valid for { $minutes } min.

    { $url }
console-open-app = 🖥 Open in Telegram
console-open-browser = 🌐 Open in a browser
console-staff-only = The console is for dispatchers and admins.
console-not-configured = The console is not set up: an admin needs to set CONSOLE_PUBLIC_URL.
