// A browser chat over ASP.NET Core minimal APIs: each profile named in Chat:Profiles (appsettings.json) is a keyed IChatClient,
// and the unkeyed client fails over across them in that order. Timeouts, retries and circuit breaking come from the library's
// resilience pipeline; spans and metrics go to the console, or over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
// POST /api/chat streams the answer as server-sent events (reasoning, text, usage, error); index.html renders them.
//   dotnet run --project samples/WebChat                        then open http://127.0.0.1:5080
//   dotnet run --project samples/WebChat -- --Chat:Profiles=ollama --Profiles:ollama:Model=llama3.2
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4317 dotnet run --project samples/WebChat
using WebChat;

await WebChatApp.Build(args).RunAsync();
