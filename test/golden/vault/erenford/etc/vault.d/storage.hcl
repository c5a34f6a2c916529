<secret: not rendered>
