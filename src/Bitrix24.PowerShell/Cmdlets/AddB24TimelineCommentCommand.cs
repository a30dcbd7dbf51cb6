using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm.Timeline;
using Newtonsoft.Json.Linq;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Adds a comment to the timeline of CRM records (crm.timeline.comment.add): leads, deals, contacts,
    /// companies and smart-process items, piped or named by -EntityType and -Id. Many go 50 to a batch request,
    /// at the portal's pace; a record that fails is reported with its id while the rest go on.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "B24TimelineComment", SupportsShouldProcess = true, DefaultParameterSetName = ByIdSet)]
    [OutputType("Bitrix24.TimelineComment")]
    public sealed class AddB24TimelineCommentCommand : B24TimelineCmdlet
    {
        /// <summary>The comment's text.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [Alias("Comment")]
        public string Text { get; set; }

        /// <summary>Writes each comment added (its ID, record and text).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private TimelineComments _comments;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _comments = new TimelineComments(ActiveConnection.Client);
            StartBulk(ActiveConnection.Client, "Adding Bitrix24 timeline comments", "comment(s) added", Added, unit: "records");
        }

        protected override void ProcessRecord()
        {
            foreach (var owner in InputOwners())
            {
                if (!ShouldProcess(owner.ToString(), $"Add timeline comment '{Shorten(Text)}'")) continue;
                QueueBulk(_comments.AddCommand(owner, Text));
            }
        }

        protected override void EndProcessing() => CompleteBulk();

        private void Added(Bitrix24.Rest.Batch.BulkOutcome outcome)
        {
            if (!PassThru) return;
            var owner = (CrmOwner)outcome.Command.State;
            WriteObject(TimelineObject("Bitrix24.TimelineComment", new JObject
            {
                ["ID"] = outcome.Result?.ToString(), ["ENTITY_ID"] = owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ENTITY_TYPE"] = owner.TypeName, ["COMMENT"] = Text,
            }));
        }

        internal static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
