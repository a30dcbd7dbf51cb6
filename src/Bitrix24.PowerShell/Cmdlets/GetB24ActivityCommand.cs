using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Completers;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm.Timeline;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Lists activities (crm.activity.list): calls, e-mails, meetings and to-dos of piped records or of -EntityType and
    /// -Id, or across records by -Filter; -Open, -Todo and -ResponsibleId narrow either. Every page is read.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "B24Activity", DefaultParameterSetName = FilterSet)]
    [OutputType("Bitrix24.Activity")]
    public sealed class GetB24ActivityCommand : B24TimelineCmdlet
    {
        private const string FilterSet = "Filter";

        /// <summary>crm.activity.list's filter across records, any activity field with its prefixes
        /// (@{ '&lt;=DEADLINE' = '2027-01-31'; TYPE_ID = 2 }).</summary>
        [Parameter(Position = 0, ParameterSetName = FilterSet)]
        public IDictionary Filter { get; set; }

        /// <summary>Only activities not yet completed (COMPLETED = N).</summary>
        [Parameter]
        public SwitchParameter Open { get; set; }

        /// <summary>Only to-dos (universal activities: PROVIDER_ID = CRM_TODO).</summary>
        [Parameter]
        public SwitchParameter Todo { get; set; }

        /// <summary>Only the activities of this user: an id, or an e-mail address.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(UserIdCompleter))]
        public UserReference ResponsibleId { get; set; }

        private Activities _activities;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _activities = new Activities(ActiveConnection.Client);
            ResolveUsers(new[] { ResponsibleId });
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == FilterSet)
            {
                var filter = Filter == null ? new JObject() : JObject.FromObject(PSValue.Pairs(Filter).ToDictionary(p => p.Key, p => PSValue.Unwrap(p.Value)));
                List(filter, ActiveConnection.Portal);
                return;
            }
            foreach (var owner in InputOwners())
                List(new JObject { ["OWNER_TYPE_ID"] = owner.EntityTypeId, ["OWNER_ID"] = owner.Id }, owner.ToString());
        }

        private void List(JObject filter, object target)
        {
            if (Open) filter["COMPLETED"] = "N";
            if (Todo) filter["PROVIDER_ID"] = Activities.TodoProvider;
            if (ResponsibleId != null) filter["RESPONSIBLE_ID"] = ResponsibleId.Id;
            try
            {
                foreach (var activity in Await((cancel, log) => _activities.ListAsync(filter, cancel, log)))
                    WriteObject(TimelineObject("Bitrix24.Activity", activity));
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteB24Error(ex, target);
            }
        }
    }
}
