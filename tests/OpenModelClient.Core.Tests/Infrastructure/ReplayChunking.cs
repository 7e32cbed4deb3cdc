namespace OpenModelClient.Tests.Infrastructure;

/// <summary>How <see cref="ReplayResponse"/> splits its body into separately flushed writes.</summary>
public enum ReplayChunking
{
    /// <summary>One write for the whole body.</summary>
    Whole,

    /// <summary>
    /// One flushed write per event: after each <c>"\n\n"</c> for <c>text/event-stream</c>,
    /// after each <c>"\n"</c> otherwise (NDJSON, plain lines).
    /// </summary>
    PerEvent,

    /// <summary>One flushed write per byte, the harshest framing a stream parser can meet.</summary>
    PerByte,
}
