CREATE TYPE "public"."promotion_kind" AS ENUM('percentage', 'fixed', 'free_shipping', 'buy_x_get_y');--> statement-breakpoint
CREATE TYPE "public"."promotion_target" AS ENUM('order', 'items');--> statement-breakpoint
CREATE TABLE "promotion_redemptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"promotion_id" uuid NOT NULL,
	"user_id" uuid,
	"order_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "promotions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"code" text,
	"kind" "promotion_kind" NOT NULL,
	"percent" integer,
	"amount" integer,
	"buy_quantity" integer,
	"get_quantity" integer,
	"max_applications" integer,
	"target" "promotion_target" DEFAULT 'order' NOT NULL,
	"product_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"variant_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"category_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"collection_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"min_subtotal" integer,
	"first_order_only" boolean DEFAULT false NOT NULL,
	"customers_only" boolean DEFAULT false NOT NULL,
	"customer_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"usage_limit" integer,
	"usage_limit_per_customer" integer,
	"usage_count" integer DEFAULT 0 NOT NULL,
	"stackable" boolean DEFAULT false NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promotions_code_format" CHECK ("promotions"."code" ~ '^[A-Za-z0-9_-]{3,40}$'),
	CONSTRAINT "promotions_kind_fields" CHECK (case "promotions"."kind"
        when 'percentage' then "promotions"."percent" is not null and "promotions"."amount" is null and "promotions"."buy_quantity" is null
          and "promotions"."get_quantity" is null and "promotions"."max_applications" is null
        when 'fixed' then "promotions"."amount" is not null and "promotions"."percent" is null and "promotions"."buy_quantity" is null
          and "promotions"."get_quantity" is null and "promotions"."max_applications" is null
        when 'free_shipping' then "promotions"."percent" is null and "promotions"."amount" is null and "promotions"."buy_quantity" is null
          and "promotions"."get_quantity" is null and "promotions"."max_applications" is null and "promotions"."target" = 'order'
        when 'buy_x_get_y' then "promotions"."percent" is not null and "promotions"."buy_quantity" is not null
          and "promotions"."get_quantity" is not null and "promotions"."amount" is null
        else false
      end),
	CONSTRAINT "promotions_percent_range" CHECK ("promotions"."percent" between 1 and 100),
	CONSTRAINT "promotions_amount_positive" CHECK ("promotions"."amount" > 0),
	CONSTRAINT "promotions_buy_quantity_range" CHECK ("promotions"."buy_quantity" between 1 and 99),
	CONSTRAINT "promotions_get_quantity_range" CHECK ("promotions"."get_quantity" between 1 and 99),
	CONSTRAINT "promotions_max_applications_positive" CHECK ("promotions"."max_applications" > 0),
	CONSTRAINT "promotions_target_ids" CHECK (("promotions"."target" = 'items') = (cardinality("promotions"."product_ids") + cardinality("promotions"."variant_ids")
        + cardinality("promotions"."category_ids") + cardinality("promotions"."collection_ids") > 0)),
	CONSTRAINT "promotions_dates_ordered" CHECK ("promotions"."ends_at" > "promotions"."starts_at"),
	CONSTRAINT "promotions_min_subtotal_positive" CHECK ("promotions"."min_subtotal" > 0),
	CONSTRAINT "promotions_usage_limit_positive" CHECK ("promotions"."usage_limit" > 0),
	CONSTRAINT "promotions_usage_limit_per_customer_positive" CHECK ("promotions"."usage_limit_per_customer" > 0),
	CONSTRAINT "promotions_usage_count_nonnegative" CHECK ("promotions"."usage_count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "orders_placed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "promotion_redemptions" ADD CONSTRAINT "promotion_redemptions_promotion_id_promotions_id_fk" FOREIGN KEY ("promotion_id") REFERENCES "public"."promotions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotion_redemptions" ADD CONSTRAINT "promotion_redemptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "promotion_redemptions_promotion_user_idx" ON "promotion_redemptions" USING btree ("promotion_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "promotions_code_unique" ON "promotions" USING btree (lower("code"));--> statement-breakpoint
CREATE INDEX "promotions_created_id_idx" ON "promotions" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_orders_placed_nonnegative" CHECK ("users"."orders_placed" >= 0);