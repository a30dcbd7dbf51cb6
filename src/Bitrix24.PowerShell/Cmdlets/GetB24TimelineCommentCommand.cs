using System;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm.Timeline;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Lists the comments in the timeline of CRM records (crm.timeline.comment.list), oldest first, every page.</summary>
    [Cmdlet(VerbsCommon.Get, "B24TimelineComment", DefaultParameterSetName = ByIdSet)]
    [OutputType("Bitrix24.TimelineComment")]
    public sealed class GetB24TimelineCommentCommand : B24TimelineCmdlet
    {
        protected override void ProcessRecord()
        {
            var comments = new TimelineComments(ActiveConnection.Client);
            foreach (var owner in InputOwners())
            {
                try
                {
                    foreach (var comment in Await((cancel, log) => comments.ListAsync(owner, cancel, log)))
                        WriteObject(TimelineObject("Bitrix24.TimelineComment", comment));
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteB24Error(ex, owner.ToString());
                }
            }
        }
    }
}
