using System;
using System.Collections;
using System.Linq;
using System.Collections.Generic;
using System.Management.Automation;
using Bitrix24.Rest.Batch;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.PowerShell.Objects;
using Bitrix24.Rest.Crm.Leads;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Reads leads: by id (crm.lead.get), or a filtered list (crm.lead.list) that streams page by page,
    /// 2,500 leads per request, each lead written as soon as its page arrives.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "B24Lead", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(LeadObjects.TypeName)]
    public sealed class GetB24LeadCommand : B24ConnectedCmdlet
    {
        private const string IdSet = "Id";
        private const string ListSet = "List";
        /// <summary>Lists longer than this show a progress bar.</summary>
        private const int ProgressThreshold = 500;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [ValidateRange(1, int.MaxValue)]
        public int[] Id { get; set; }

        /// <summary>crm.lead.list filter: field names with the API's operator prefixes (&gt;=, &lt;, @, %, ! …).</summary>
        [Parameter(Position = 0, ParameterSetName = ListSet)]
        public IDictionary Filter { get; set; }

        /// <summary>Fields to read: * (all standard fields, the default for lists), UF_* (custom), PHONE, EMAIL … by name.
        /// With -Id the default is everything crm.lead.get returns.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(LeadFieldNameCompleter))]
        public string[] Select { get; set; }

        /// <summary>Sort order, e.g. [ordered]@{ DATE_CREATE = 'DESC' }. The default (ID ascending) is the fastest.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public IDictionary Order { get; set; }

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
                var leads = new LeadsClient(ActiveConnection.Client);
                foreach (var id in Id)
                {
                    try { WriteObject(LeadObjects.Create(Await((cancel, log) => leads.GetAsync(id, Select, cancel, log)))); }
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
            var leads = new LeadsClient(ActiveConnection.Client);
            try
            {
                foreach (var (id, lead, error) in Await((cancel, log) => leads.GetEachAsync(ids, cancel, log)))
                {
                    if (lead != null) WriteObject(LeadObjects.Create(lead));
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
            var query = new LeadListQuery
            {
                Filter = Filter == null ? new JObject() : (JObject)PSValue.ToJson(Filter),
                Order = Order == null ? new JObject() : (JObject)PSValue.ToJson(Order),
                Skip = (int)Math.Min(PagingParameters.Skip, int.MaxValue),
                First = PagingParameters.First == ulong.MaxValue ? (long?)null : (long)Math.Min(PagingParameters.First, long.MaxValue),
            };
            if (Select != null && Select.Length > 0) query.Select = Select.ToList();

            LeadPager pager = null;
            var written = 0L;
            var progress = new ProgressRecord(1, "Reading Bitrix24 leads", "Starting");
            try
            {
                while (true)
                {
                    var page = Await((cancel, log) =>
                    {
                        pager = pager ?? new LeadPager(ActiveConnection.Client, query, cancel, log);
                        return pager.NextAsync();
                    });
                    if (written == 0 && PagingParameters.IncludeTotalCount)
                        WriteObject(PagingParameters.NewTotalCount((ulong)Math.Max(0, pager.Total ?? 0), 1.0));
                    if (page == null) break;
                    var total = pager.Total.HasValue ? (int?)ExpectedCount(pager.Total.Value) : null;
                    foreach (var row in page) WriteObject(LeadObjects.Create(new LeadSnapshot(row), total));
                    written += page.Count;
                    ShowProgress(progress, pager, written);
                }
                WriteVerbose($"Listed {written} lead(s) in {pager?.Requests ?? 0} request(s).");
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

        private void ShowProgress(ProgressRecord progress, LeadPager pager, long written)
        {
            var total = ExpectedCount(pager.Total ?? 0);
            if (total < ProgressThreshold) return;
            progress.StatusDescription = $"{written} of {total} leads";
            progress.PercentComplete = (int)Math.Min(100, Math.Max(1, written * 100 / Math.Max(1, total)));
            WriteProgress(progress);
        }

        /// <summary>How many leads this call will write at most.</summary>
        private long ExpectedCount(long total)
        {
            var afterSkip = Math.Max(0, total - (long)Math.Min(PagingParameters.Skip, (ulong)long.MaxValue));
            return PagingParameters.First == ulong.MaxValue ? afterSkip : Math.Min(afterSkip, (long)Math.Min(PagingParameters.First, (ulong)long.MaxValue));
        }
    }
}
