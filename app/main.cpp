// Placeholder entry point; the headless CLI replaces it.
int main() { return 0; }
