using System.Threading.Channels;
using Truto.Mappings.Client;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Jobs;

/// <summary>
/// Writes each provider call's outcomes to the store as soon as that call is answered (one small
/// write per call, in the order the calls answer), so an instance killed mid-slice sends again only
/// ids whose call had not answered. The runtime reports on its own threads and must not wait for
/// the database: reports are queued and one writer drains them. <see cref="CompleteAsync"/> waits
/// until every queued call is written.
/// </summary>
public sealed partial class JobCallRecorder : IProgress<BatchProgress>
{
    private readonly Channel<BatchCallAnswer> _calls = Channel.CreateUnbounded<BatchCallAnswer>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IBatchJobStore _jobs;
    private readonly string _jobId;
    private readonly IReadOnlyDictionary<string, BatchJobItem> _items;
    private readonly string _sliceKey;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _writer;

    /// <summary>Starts the writer for the slice <paramref name="items"/> of job <paramref name="jobId"/>.</summary>
    public JobCallRecorder(IBatchJobStore jobs, string jobId, IReadOnlyList<BatchJobItem> items, string sliceKey, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(items);
        _jobs = jobs;
        _jobId = jobId;
        _items = items.ToDictionary(i => i.ContactId, StringComparer.Ordinal);
        _sliceKey = sliceKey;
        _time = time;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    /// <inheritdoc />
    public void Report(BatchProgress value)
    {
        if (value?.Call is { } call)
        {
            _calls.Writer.TryWrite(call);
        }
    }

    /// <summary>Writes what is queued and stops; later reports are ignored.</summary>
    public async Task CompleteAsync()
    {
        _calls.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        await foreach (var call in _calls.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                var items = call.Ids.Select(id => _items.GetValueOrDefault(id)).OfType<BatchJobItem>().ToList();
                var outcomes = BatchJobSlice.Outcomes(items, call.Answer, _sliceKey);
                // Not a cancellable token: the provider has answered, and an answered id must never be sent again.
                await _jobs.RecordOutcomesAsync(_jobId, outcomes, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The slice's outcomes are written again once the whole slice is answered.
                LogCallNotRecorded(_logger, _jobId, call.Chunk, e.GetType().Name);
            }
            finally
            {
                await call.Answer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outcomes of call {Chunk} of batch-delete job {JobId} could not be written as it answered ({Error}); they are written with the rest of the slice.")]
    private static partial void LogCallNotRecorded(ILogger logger, string jobId, int chunk, string error);
}
