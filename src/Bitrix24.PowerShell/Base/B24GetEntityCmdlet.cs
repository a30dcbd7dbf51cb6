using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Completers;
using Bitrix24.PowerShell.Objects;
using Bitrix24.Rest.Batch;
using Bitrix24.Rest.Crm;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>
    /// Get-B24Lead, Get-B24Deal …: reads records by id (50 per batch of get calls), or a filtered list that
    /// streams page by page, 2,500 records per request, each written as soon as its page arrives.
    /// </summary>
    public abstract class B24GetEntityCmdlet : B24ConnectedCmdlet
    {
        protected const string IdSet = "Id";
        /// <summary>The default parameter set of every Get- cmdlet.</summary>
        public const string ListSet = "List";
        /// <summary>Lists longer than this show a progress bar.</summary>
        private const int ProgressThreshold = 500;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(Completers.RecordIdCompleter))]
        public int[] Id { get; set; }

        /// <summary>The list method's filter: field names with the API's operator prefixes (&gt;=, &lt;, @, %, ! …).</summary>
        [Parameter(Position = 0, ParameterSetName = ListSet)]
        public IDictionary Filter { get; set; }

        /// <summary>Fields to read: * (all standard fields, the default for lists), UF_* (custom), PHONE, EMAIL … by name.
        /// With -Id the default is everything the get method returns.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(FieldNameCompleter))]
        public string[] Select { get; set; }

        /// <summary>Sort order, e.g. [ordered]@{ DATE_CREATE = 'DESC' }. The default (ID ascending) is the fastest.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public IDictionary Order { get; set; }

        protected abstract CrmEntity Entity { get; }

        /// <summary>The client of the entity on the connection's route.</summary>
        protected CrmClient Records { get; private set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Records = new CrmClient(ActiveConnection.Client, Entity);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == IdSet) ReadByIds();
            else ReadList();
        }

        private readonly List<int> _pendingIds = new List<int>();

        /// <summary>Ids are read 50 per request: piped one by one, they wait for the next 49 (or the end).</summary>
        private void ReadByIds()
        {
            if (Select != null && Select.Length > 0)
            {
                foreach (var id in Id)
                {
                    try { WriteObject(CrmObjects.Create(Await((cancel, log) => Records.GetAsync(id, Select, cancel, log)))); }
                    catch (Exception ex) when (!(ex is PipelineStoppedException)) { WriteB24Error(ex, id); }
                }
                return;
            }
            _pendingIds.AddRange(Id);
            if (_pendingIds.Count >= BulkRunner.ChunkSize) FlushIds();
        }

        private void FlushIds()
        {
            if (_pendingIds.Count == 0) return;
            var ids = _pendingIds.ToList();
            _pendingIds.Clear();
            try
            {
                foreach (var (id, record, error) in Await((cancel, log) => Records.GetEachAsync(ids, cancel, log)))
                {
                    if (record != null) WriteObject(CrmObjects.Create(record));
                    else WriteB24Error(error, id);
                }
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, ids.Count == 1 ? (object)ids[0] : ids.ToArray());
            }
        }

        protected override void EndProcessing() => FlushIds();

        private void ReadList()
        {
            var query = new CrmListQuery(Entity)
            {
                Filter = Filter == null ? new JObject() : (JObject)PSValue.ToJson(Filter),
                Order = Order == null ? new JObject() : (JObject)PSValue.ToJson(Order),
                Skip = (int)Math.Min(PagingParameters.Skip, int.MaxValue),
                First = PagingParameters.First == ulong.MaxValue ? (long?)null : (long)Math.Min(PagingParameters.First, long.MaxValue),
            };
            if (Select != null && Select.Length > 0) query.Select = Select.ToList();

            CrmPager pager = null;
            var written = 0L;
            var progress = new ProgressRecord(1, $"Reading Bitrix24 {Entity.Plural}", "Starting");
            try
            {
                while (true)
                {
                    var page = Await((cancel, log) =>
                    {
                        pager = pager ?? new CrmPager(ActiveConnection.Client, query, cancel, log);
                        return pager.NextAsync();
                    });
                    if (written == 0 && PagingParameters.IncludeTotalCount)
                        WriteObject(PagingParameters.NewTotalCount((ulong)Math.Max(0, pager.Total ?? 0), 1.0));
                    if (page == null) break;
                    var total = pager.Total.HasValue ? (int?)ExpectedCount(pager.Total.Value) : null;
                    foreach (var row in page) WriteObject(CrmObjects.Create(new CrmSnapshot(Entity, row), total));
                    written += page.Count;
                    ShowProgress(progress, pager, written);
                }
                WriteVerbose($"Listed {written} {Entity.ApiName}(s) in {pager?.Requests ?? 0} request(s).");
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, Filter);
            }
            finally
            {
                if (progress.PercentComplete > 0)
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    WriteProgress(progress);
                }
            }
        }

        private void ShowProgress(ProgressRecord progress, CrmPager pager, long written)
        {
            var total = ExpectedCount(pager.Total ?? 0);
            if (total < ProgressThreshold) return;
            progress.StatusDescription = $"{written} of {total} {Entity.Plural}";
            progress.PercentComplete = (int)Math.Min(100, Math.Max(1, written * 100 / Math.Max(1, total)));
            WriteProgress(progress);
        }

        /// <summary>How many records this call will write at most.</summary>
        private long ExpectedCount(long total)
        {
            var afterSkip = Math.Max(0, total - (long)Math.Min(PagingParameters.Skip, (ulong)long.MaxValue));
            return PagingParameters.First == ulong.MaxValue ? afterSkip : Math.Min(afterSkip, (long)Math.Min(PagingParameters.First, (ulong)long.MaxValue));
        }
    }
}
